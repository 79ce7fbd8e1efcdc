package io.reactivezk;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import reactor.test.StepVerifier;

/** Shared set-up for core tests: services that never read the real environment, seeding through a plain client. */
final class Fixtures {

    static final Duration WAIT = Duration.ofSeconds(20);

    private Fixtures() {}

    /** A service whose configuration names no servers and whose environment is empty. */
    static ZooKeeperService service() {
        return service(ZooKeeperOptions.defaults());
    }

    static ZooKeeperService service(ZooKeeperOptions options) {
        return ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()), options);
    }

    /** A URL for a container whose root is {@code chroot}'s node on the shared server. */
    static String url(Chroot chroot) {
        return "zookeeper://" + chroot.serverConnectString() + chroot.path();
    }

    static void awaitConnected(ZooKeeperContainer container) {
        StepVerifier.create(container
                        .states()
                        .filter(s -> s == ConnectionState.CONNECTED)
                        .take(1))
                .expectNext(ConnectionState.CONNECTED)
                .expectComplete()
                .verify(WAIT);
        assertThat(container.isConnected()).isTrue();
    }

    /** A check that may throw, for {@link #awaitTrue}. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} every few milliseconds until it holds; fails after {@code bound}. */
    static void awaitTrue(Check check, Duration bound) {
        org.awaitility.Awaitility.await()
                .atMost(bound)
                .pollInterval(Duration.ofMillis(10))
                .until(check::holds);
    }

    /**
     * Deletes a container's root and everything below it, best effort: for tests that work in a root of their own on
     * a server that outlives them.
     */
    static void removeRoot(ZooKeeperContainer zk) {
        String root = zk.spec().rootPath();
        zk.deleteRecursive("/")
                .then(zk.execute(raw -> {
                    raw.delete(root, -1);
                    return null;
                }))
                .onErrorComplete()
                .block(WAIT);
    }

    /** Creates a node (and its parents) with the given text through the shared admin client. */
    static void seed(String absolutePath, String text) {
        seed(absolutePath, text.getBytes(StandardCharsets.UTF_8));
    }

    static void seed(String absolutePath, byte[] data) {
        ZooKeeper admin = SharedZooKeeper.adminClient();
        try {
            for (int i = absolutePath.indexOf('/', 1); i > 0; i = absolutePath.indexOf('/', i + 1)) {
                try {
                    admin.create(
                            absolutePath.substring(0, i),
                            new byte[0],
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                } catch (KeeperException.NodeExistsException ignored) {
                    // parent already there
                }
            }
            admin.create(absolutePath, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException e) {
            throw new IllegalStateException("cannot seed " + absolutePath, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
