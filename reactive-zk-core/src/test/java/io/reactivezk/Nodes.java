package io.reactivezk;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/** Changes made by "another client" in watch tests: plain, synchronous ZooKeeper calls from the test thread. */
final class Nodes {

    private final ZooKeeper zk;

    Nodes(ZooKeeper zk) {
        this.zk = zk;
    }

    void create(String absolutePath, String text) {
        call(() -> zk.create(
                absolutePath,
                text.getBytes(StandardCharsets.UTF_8),
                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
    }

    void set(String absolutePath, String text) {
        call(() -> zk.setData(absolutePath, text.getBytes(StandardCharsets.UTF_8), -1));
    }

    /** Sets the data without waiting for the reply. */
    void setAsync(String absolutePath, String text) {
        zk.setData(absolutePath, text.getBytes(StandardCharsets.UTF_8), -1, (rc, path, ctx, stat) -> {}, null);
    }

    void delete(String absolutePath) {
        call(() -> {
            zk.delete(absolutePath, -1);
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

    static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (KeeperException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
