package io.reactivezk.testkit;

import org.apache.zookeeper.util.ServiceUtils;

/**
 * Process-wide settings every in-process ZooKeeper server needs, applied once before the first server starts.
 *
 * <ul>
 *   <li>ZooKeeper's exit handler only logs: a server thread that fails must not call {@code System.exit} on the test
 *       JVM.
 *   <li>The admin HTTP server (Jetty on port 8080) is off: tests run many servers and need no HTTP console.
 *   <li>Extended node types are on, so TTL nodes can be created (a server-side switch in ZooKeeper).
 *   <li>The {@link SuperUser} exists.
 * </ul>
 */
final class ServerDefaults {

    private static volatile boolean applied;

    private ServerDefaults() {}

    static synchronized void apply() {
        if (applied) {
            return;
        }
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
        setIfAbsent("zookeeper.admin.enableServer", "false");
        setIfAbsent("zookeeper.extendedTypesEnabled", "true");
        // Container nodes are reaped on a timer; check often so tests need not wait a minute.
        setIfAbsent("znode.container.checkIntervalMs", "500");
        setIfAbsent("zookeeper.DigestAuthenticationProvider.superDigest", SuperUser.digest());
        applied = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
