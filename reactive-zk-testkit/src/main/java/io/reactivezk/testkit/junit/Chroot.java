package io.reactivezk.testkit.junit;

/**
 * A fresh, empty node created for one test on the shared server, so tests cannot see each other's data.
 *
 * @param serverConnectString the shared server's connect string, such as {@code 127.0.0.1:40123}
 * @param path the node, such as {@code /tests/MyTest/readsData-7}; it exists when the test starts
 */
public record Chroot(String serverConnectString, String path) {

    /**
     * The connect string with the chroot suffix, so a plain ZooKeeper client sees {@link #path()} as its {@code /}.
     *
     * @return for example {@code 127.0.0.1:40123/tests/MyTest/readsData-7}
     */
    public String connectString() {
        return serverConnectString + path;
    }

    /**
     * A path below this chroot.
     *
     * @param relative a path relative to the chroot, with or without a leading slash
     * @return the absolute path on the server
     */
    public String resolve(String relative) {
        return relative.startsWith("/") ? path + relative : path + "/" + relative;
    }
}
