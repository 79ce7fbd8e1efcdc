package io.reactivezk.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * ZooKeeper's own asynchronous API, used as lean as it allows: one callback object per operation type, the operation's
 * index as the context. The baseline every ratio divides by.
 */
final class RawContender implements Contender {

    private static final List<ACL> OPEN = new ArrayList<>(ZooDefs.Ids.OPEN_ACL_UNSAFE);

    private final ZooKeeper zk;
    private final Callbacks callbacks = new Callbacks();
    private volatile Window window;

    RawContender(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        zk = new ZooKeeper(connectString, 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("raw client: no connection to " + connectString);
        }
    }

    ZooKeeper handle() {
        return zk;
    }

    @Override
    public String name() {
        return "raw async";
    }

    @Override
    public void issue(Operation op, String path, byte[] payload, Window window, int index) {
        this.window = window;
        Integer ctx = index;
        switch (op) {
            case GET_DATA -> zk.getData(path, false, callbacks, ctx);
            case GET_CHILDREN -> zk.getChildren(path, false, (AsyncCallback.ChildrenCallback) callbacks, ctx);
            case EXISTS -> zk.exists(path, false, (AsyncCallback.StatCallback) callbacks, ctx);
            case CREATE -> zk.create(path, payload, OPEN, CreateMode.PERSISTENT, callbacks, ctx);
            case SET_DATA -> zk.setData(path, payload, -1, (AsyncCallback.StatCallback) callbacks, ctx);
        }
    }

    private final class Callbacks
            implements AsyncCallback.DataCallback,
                    AsyncCallback.ChildrenCallback,
                    AsyncCallback.StatCallback,
                    AsyncCallback.StringCallback {

        private void done(int rc, String path, Object ctx) {
            int index = (Integer) ctx;
            if (rc == 0 || rc == KeeperException.Code.NONODE.intValue()) {
                window.completed(index);
            } else {
                window.failed(index, KeeperException.create(KeeperException.Code.get(rc), path));
            }
        }

        @Override
        public void processResult(int rc, String path, Object ctx, byte[] data, Stat stat) {
            done(rc, path, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, List<String> children) {
            done(rc, path, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, Stat stat) {
            done(rc, path, ctx);
        }

        @Override
        public void processResult(int rc, String path, Object ctx, String name) {
            done(rc, path, ctx);
        }
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
