package io.reactivezk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

/** A plain ZooKeeper client whose connection states a test can wait for. */
final class TestClients implements AutoCloseable {

    final ZooKeeper zk;
    private final BlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();

    TestClients(String connectString, int sessionTimeoutMs) {
        try {
            zk = new ZooKeeper(connectString, sessionTimeoutMs, event -> {
                if (event.getType() == org.apache.zookeeper.Watcher.Event.EventType.None) {
                    states.add(event.getState());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the given state, skipping others; fails after the bound. */
    void await(KeeperState wanted, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            KeeperState state = states.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (state == null) {
                throw new AssertionError("no " + wanted + " within " + seconds + " s");
            }
            if (state == wanted) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        zk.close(2000);
    }
}
