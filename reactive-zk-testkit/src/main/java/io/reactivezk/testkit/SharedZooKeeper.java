package io.reactivezk.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;

/**
 * The standalone server shared by every test in a JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Starting a server takes a fraction of a second; sharing one keeps a suite fast. Tests that stop or restart a
 * server must create their own {@link EmbeddedZooKeeper} instead, and tests that must not see each other's nodes use a
 * fresh chroot (see {@link io.reactivezk.testkit.junit.ZooKeeperExtension}).
 */
public final class SharedZooKeeper {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private static @Nullable EmbeddedZooKeeper server;
    private static @Nullable ZooKeeper admin;

    private SharedZooKeeper() {}

    /**
     * The shared server, started if this is the first call.
     *
     * @return the running shared server; do not stop or close it
     */
    public static synchronized EmbeddedZooKeeper server() {
        EmbeddedZooKeeper current = server;
        if (current == null) {
            current = EmbeddedZooKeeper.startNew();
            server = current;
            Runtime.getRuntime().addShutdownHook(new Thread(SharedZooKeeper::shutdown, "shared-zookeeper-shutdown"));
        }
        return current;
    }

    /**
     * A plain ZooKeeper client connected to the shared server, for test set-up (creating chroots, seeding data).
     *
     * @return a connected client; do not close it
     */
    public static synchronized ZooKeeper adminClient() {
        ZooKeeper current = admin;
        if (current == null || !current.getState().isAlive()) {
            current = connect(server().connectString());
            admin = current;
        }
        return current;
    }

    /**
     * Opens a plain client and waits until it is connected. Blocks; for test threads.
     *
     * @param connectString the servers
     * @return the connected client; the caller closes it
     * @throws IllegalStateException if it did not connect within 20 seconds
     */
    public static ZooKeeper connect(String connectString) {
        CountDownLatch connected = new CountDownLatch(1);
        try {
            ZooKeeper client = new ZooKeeper(connectString, 30_000, event -> {
                if (event.getState() == KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            if (!connected.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new IllegalStateException("no connection to " + connectString + " within " + CONNECT_TIMEOUT);
            }
            return client;
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + connectString, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + connectString, e);
        }
    }

    private static synchronized void shutdown() {
        try {
            if (admin != null) {
                admin.close(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (server != null) {
            server.close();
        }
    }
}
