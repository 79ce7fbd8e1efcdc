package io.reactivezk;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.awaitility.Awaitility;

/**
 * Changes made by "another client" in watch tests: plain, synchronous ZooKeeper calls from the test thread.
 *
 * <p>On an ensemble the client may sit on the member a test stops, or be reconnecting after a quorum loss. A call
 * that fails with connection loss is therefore retried once the client is connected again, for up to {@link
 * #RETRY_FOR}. A create whose retry finds the node, or a delete whose retry finds it gone, counts as done: the first
 * attempt reached the server.
 */
final class Nodes {

    private final ZooKeeper zk;

    Nodes(ZooKeeper zk) {
        this.zk = zk;
    }

    static final Duration RETRY_FOR = Duration.ofSeconds(30);

    void create(String absolutePath, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        call(() -> zk.create(absolutePath, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), () -> {
            try {
                return zk.create(absolutePath, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                return absolutePath;
            }
        });
    }

    void set(String absolutePath, String text) {
        call(() -> zk.setData(absolutePath, text.getBytes(StandardCharsets.UTF_8), -1));
    }

    /** Sets the data without waiting for the reply. */
    void setAsync(String absolutePath, String text) {
        zk.setData(absolutePath, text.getBytes(StandardCharsets.UTF_8), -1, (rc, path, ctx, stat) -> {}, null);
    }

    void delete(String absolutePath) {
        call(
                () -> {
                    zk.delete(absolutePath, -1);
                    return null;
                },
                () -> {
                    try {
                        zk.delete(absolutePath, -1);
                    } catch (KeeperException.NoNodeException e) {
                        // the first attempt deleted it
                    }
                    return null;
                });
    }

    /** Deletes a node and everything below it. */
    void deleteTree(String absolutePath) {
        List<String> children = call(() -> zk.getChildren(absolutePath, false));
        for (String child : children) {
            deleteTree(absolutePath + "/" + child);
        }
        delete(absolutePath);
    }

    Stat stat(String absolutePath) {
        Stat stat = call(() -> zk.exists(absolutePath, false));
        if (stat == null) {
            throw new IllegalStateException("no node " + absolutePath);
        }
        return stat;
    }

    String text(String absolutePath) {
        return new String(call(() -> zk.getData(absolutePath, false, null)), StandardCharsets.UTF_8);
    }

    interface Call<T> {
        T run() throws KeeperException, InterruptedException;
    }

    <T> T call(Call<T> call) {
        return call(call, call);
    }

    /** Runs {@code first}; after a connection loss, waits for the client to reconnect and runs {@code again}. */
    private <T> T call(Call<T> first, Call<T> again) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        try {
            try {
                return first.run();
            } catch (KeeperException.ConnectionLossException lost) {
                while (true) {
                    Awaitility.await()
                            .atMost(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> zk.getState().isConnected());
                    try {
                        return again.run();
                    } catch (KeeperException.ConnectionLossException stillLost) {
                        if (System.nanoTime() > deadline) {
                            throw stillLost;
                        }
                    }
                }
            }
        } catch (KeeperException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
