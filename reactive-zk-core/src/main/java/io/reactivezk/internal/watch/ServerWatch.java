package io.reactivezk.internal.watch;

import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.NodeException;
import io.reactivezk.internal.codec.Errors;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * One persistent watch on the server ({@link AddWatchMode#PERSISTENT} or {@link AddWatchMode#PERSISTENT_RECURSIVE} on
 * one absolute path), shared by every subscriber of that path and mode in a container, and the {@link Watcher} that
 * receives its events.
 *
 * <p>Everything that changes its state (node events, read replies, connection events, subscribers joining and
 * leaving) is a task run by {@link #submit(Runnable)}, one at a time and in order, on whichever thread submitted it
 * while no other task ran. So the subclasses need no locks; they must never block, as tasks run on ZooKeeper's event
 * thread.
 *
 * <p>The watch follows the container's sessions: on every connection of a new session it adds itself again (a session's
 * watches die with it) and asks the subclass to read again; after a reconnection within a session the server keeps
 * the watch but may have dropped events, so the subclass reads again too. The registry ({@link Watches}) counts the
 * subscribers, adds the server watch under its lock, and removes it when the last subscriber leaves.
 */
abstract class ServerWatch implements Watcher {

    private static final Logger log = LoggerFactory.getLogger(ServerWatch.class);

    final Watches owner;
    final String path;
    final AddWatchMode mode;

    /** The subscription to the container's connection events, disposed when the watch is retired. */
    final Disposable.Swap connection = Disposables.swap();

    /** Attached subscribers; guarded by the registry's lock. */
    int refs;

    /** Set, under the registry's lock, when the last subscriber left: nothing may add the server watch again. */
    boolean retired;

    /** The handle the server watch was last added on; guarded by the registry's lock. */
    @Nullable
    ZooKeeper addedOn;

    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    // State of the task loop: read and written only by tasks.
    private @Nullable ZooKeeper zk;
    private long epoch;
    private boolean connected;
    private boolean watchAdded;
    private boolean closed;

    ServerWatch(Watches owner, String path, AddWatchMode mode) {
        this.owner = owner;
        this.path = path;
        this.mode = mode;
    }

    /** Follows the container's connection events; called once, after the watch is registered. */
    final void start() {
        Flux<ConnectionEvent> events = owner.session().events();
        Disposable subscription = events.subscribe(
                this::onSessionEvent, error -> submit(this::containerClosed), () -> submit(this::containerClosed));
        connection.update(subscription);
    }

    private void onSessionEvent(ConnectionEvent event) {
        ZooKeeper handle =
                event.state() == ConnectionState.CONNECTED ? owner.session().zooKeeper() : null;
        submit(() -> onConnectionEvent(event, handle));
    }

    /** Runs a task after the tasks submitted before it, never two at once; never blocks. */
    final void submit(Runnable task) {
        inbox.offer(task);
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Runnable next;
            while ((next = inbox.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    log.warn("{}: watch on {} failed to handle a signal", owner.name(), path, e);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    @Override
    public final void process(WatchedEvent event) {
        switch (event.getType()) {
            case NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged ->
                submit(() -> {
                    if (!closed) {
                        onNodeEvent(event);
                    }
                });
            default ->
                // A removal notice; one that carries the Disconnected state may be the only news of a disconnection.
                owner.session().onWatcherEvent(event);
        }
    }

    // ---- for subclasses (task loop only) ----

    /** Whether reads can be issued now. */
    final boolean connected() {
        return connected && zk != null && !closed;
    }

    /** The handle of the current connection; only while {@link #connected()}. */
    final ZooKeeper handle() {
        ZooKeeper current = zk;
        if (current == null) {
            throw new IllegalStateException("no connection");
        }
        return current;
    }

    final boolean closed() {
        return closed;
    }

    /** Tells a subscriber that arrived too late that the stream is over, and lets it go. */
    final void completeLate(Downstream<?> downstream) {
        owner.detach(downstream);
        downstream.complete();
    }

    /** A subscriber joined; on the task loop. */
    abstract void attach(Downstream<?> downstream);

    /** A subscriber left (cancelled, or was terminated); on the task loop. */
    abstract void detach(Downstream<?> downstream);

    /** A connection is ready, with the watch added or being added before anything the subclass reads now. */
    abstract void onConnected(boolean newSession);

    /** The server watch fired. */
    abstract void onNodeEvent(WatchedEvent event);

    /** Fails every subscriber with a non-transient error, detaching each. */
    abstract void failAll(Throwable error);

    /** Completes every subscriber, detaching each: the container is closed. */
    abstract void completeAll();

    /** Drops all state: the last subscriber left. */
    abstract void clearAll();

    // ---- task loop ----

    private void onConnectionEvent(ConnectionEvent event, @Nullable ZooKeeper current) {
        if (closed) {
            return;
        }
        switch (event.state()) {
            case CONNECTED -> {
                if (current == null) {
                    return;
                }
                boolean newSession = event.epoch() != epoch;
                if (newSession) {
                    watchAdded = false;
                }
                zk = current;
                epoch = event.epoch();
                connected = true;
                if (!watchAdded) {
                    addWatch(current);
                }
                onConnected(newSession);
            }
            case SUSPENDED -> connected = false;
            case LOST -> {
                connected = false;
                zk = null;
                watchAdded = false;
            }
        }
    }

    private void addWatch(ZooKeeper current) {
        long forEpoch = epoch;
        watchAdded = owner.addWatch(
                this, current, (rc, ignoredPath, ctx) -> submit(() -> onWatchAdded(forEpoch, Code.get(rc))));
    }

    private void onWatchAdded(long forEpoch, Code code) {
        if (closed || forEpoch != epoch || code == Code.OK) {
            return;
        }
        if (waitsForConnection(code)) {
            // The next CONNECTED of this session adds it again.
            watchAdded = false;
            return;
        }
        log.warn("{}: cannot watch {} ({})", owner.name(), path, Errors.describe(code));
        // Nothing to remove from the server: a removal request would only trouble a server that refused the watch.
        owner.addFailed(this);
        if (code == Code.UNIMPLEMENTED) {
            failAll(new NodeException(
                    "addWatch " + path + ": the server does not support persistent watches (ZooKeeper 3.6 or later"
                            + " is needed for watch streams)",
                    code,
                    path,
                    null));
            return;
        }
        failAll(Errors.of(code, "addWatch", path));
    }

    private void containerClosed() {
        if (closed) {
            return;
        }
        closed = true;
        connected = false;
        zk = null;
        completeAll();
    }

    /**
     * Adds the server watch and reads again, because the watch that fed this one on the same path is gone (see
     * {@link Watches}). Without a connection, the next CONNECTED does both.
     */
    final void rearm() {
        ZooKeeper current = zk;
        if (!connected() || current == null) {
            return;
        }
        addWatch(current);
        onConnected(false);
    }

    /** The last subscriber left and the registry removed the server watch. */
    final void retire() {
        closed = true;
        connected = false;
        zk = null;
        clearAll();
    }

    /**
     * Whether a failed call will be made good by the next CONNECTED: the connection dropped or the session ended, so a
     * reconnection or a new session follows, and the watch reads everything again then.
     */
    static boolean waitsForConnection(Code code) {
        return switch (code) {
            case CONNECTIONLOSS, SESSIONEXPIRED, SESSIONMOVED, OPERATIONTIMEOUT, REQUESTTIMEOUT -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return "ServerWatch[" + mode + " " + path + "]";
    }
}
