package io.reactivezk.internal.watch;

import io.reactivezk.ChildrenSnapshot;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.operation.Calls;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * A {@link AddWatchMode#PERSISTENT} watch on one node, feeding the data and the children streams of that node. The
 * server sends {@code NodeCreated}, {@code NodeDeleted}, {@code NodeDataChanged} and {@code NodeChildrenChanged} for
 * the node itself; each event makes the interested view read the node again, and a snapshot is emitted only if the
 * node changed ({@code mzxid} for data, {@code pzxid} and {@code cversion} for children, or its existence).
 *
 * <p>Reads are coalesced: a view has at most one read in flight, and events that arrive meanwhile cause one more read
 * when it returns. Replies on one connection come in order, so the last read always reflects the last event.
 */
final class NodeWatch extends ServerWatch {

    private final View data = new View(Downstream.Channel.DATA);
    private final View children = new View(Downstream.Channel.CHILDREN);
    private final String relativePath;

    NodeWatch(Watches owner, String path) {
        super(owner, path, AddWatchMode.PERSISTENT);
        this.relativePath = owner.relative(path);
    }

    private View view(Downstream<?> downstream) {
        return downstream.channel == Downstream.Channel.DATA ? data : children;
    }

    @Override
    void attach(Downstream<?> downstream) {
        if (downstream.isCancelled()) {
            return;
        }
        if (closed()) {
            completeLate(downstream);
            return;
        }
        View view = view(downstream);
        Downstream.Latest<?> latest = (Downstream.Latest<?>) downstream;
        view.subscribers.add(latest);
        Object current = view.current;
        if (current != null) {
            latest.offer(withoutResync(current));
        } else if (view.inFlight == 0 && connected()) {
            read(view);
        }
    }

    /** The snapshot for a subscriber that joins now: the same state, not marked as a resync. */
    private static Object withoutResync(Object snapshot) {
        if (snapshot instanceof NodeSnapshot node) {
            return node.resync()
                    ? new NodeSnapshot(node.path(), node.absolutePath(), node.data(), node.stat(), false)
                    : node;
        }
        ChildrenSnapshot children = (ChildrenSnapshot) snapshot;
        return children.resync()
                ? new ChildrenSnapshot(
                        children.path(), children.absolutePath(), children.children(), children.stat(), false)
                : children;
    }

    @Override
    void detach(Downstream<?> downstream) {
        View view = view(downstream);
        if (view.subscribers.remove(downstream) && view.subscribers.isEmpty()) {
            view.reset();
        }
    }

    @Override
    void onConnected(boolean newSession) {
        // A new session's watch was added by the caller; either way, re-read and emit only what changed.
        resync(data);
        resync(children);
    }

    /** Reads a view again after a (re)connection, abandoning a read that was in flight on the old connection. */
    private void resync(View view) {
        if (view.subscribers.isEmpty()) {
            return;
        }
        boolean seen = view.current != null;
        view.inFlight = 0;
        view.dirty = false;
        view.resync |= seen;
        read(view);
    }

    @Override
    void onNodeEvent(WatchedEvent event) {
        switch (event.getType()) {
            case NodeDataChanged -> requestRead(data);
            case NodeChildrenChanged -> requestRead(children);
            case NodeCreated, NodeDeleted -> {
                requestRead(data);
                requestRead(children);
            }
            default -> {
                // not sent for a persistent watch
            }
        }
    }

    private void requestRead(View view) {
        if (view.subscribers.isEmpty()) {
            return;
        }
        if (view.inFlight != 0) {
            view.dirty = true;
        } else if (connected()) {
            read(view);
        }
        // else: the next CONNECTED reads every view
    }

    private void read(View view) {
        long sequence = ++view.sequence;
        view.inFlight = sequence;
        boolean resync = view.resync;
        view.resync = false;
        if (view.channel == Downstream.Channel.DATA) {
            handle().getData(
                            path,
                            false,
                            (rc, p, ctx, bytes, stat) -> submit(() -> onData(sequence, resync, rc, bytes, stat)),
                            null);
        } else {
            handle().getChildren(
                            path,
                            false,
                            (rc, p, ctx, names, stat) -> submit(() -> onChildren(sequence, resync, rc, names, stat)),
                            null);
        }
    }

    private void onData(long sequence, boolean resync, int rc, byte @Nullable [] bytes, Stat stat) {
        if (closed() || sequence != data.inFlight) {
            return;
        }
        data.inFlight = 0;
        Code code = Code.get(rc);
        if (code == Code.OK || code == Code.NONODE) {
            NodeSnapshot next = code == Code.OK
                    ? new NodeSnapshot(relativePath, path, bytes == null ? new byte[0] : bytes, stat, resync)
                    : new NodeSnapshot(relativePath, path, null, null, resync);
            NodeSnapshot previous = (NodeSnapshot) data.current;
            if (dataChanged(previous, next)) {
                data.emit(next);
            }
        } else if (!readFailed(data, code, "getData", resync)) {
            return;
        }
        if (data.dirty) {
            data.dirty = false;
            requestRead(data);
        }
    }

    private void onChildren(long sequence, boolean resync, int rc, @Nullable List<String> names, Stat stat) {
        if (closed() || sequence != children.inFlight) {
            return;
        }
        children.inFlight = 0;
        Code code = Code.get(rc);
        if (code == Code.OK || code == Code.NONODE) {
            ChildrenSnapshot next;
            if (code == Code.OK) {
                next = new ChildrenSnapshot(relativePath, path, Calls.sorted(names), stat, resync);
            } else {
                next = new ChildrenSnapshot(relativePath, path, List.of(), null, resync);
            }
            ChildrenSnapshot previous = (ChildrenSnapshot) children.current;
            if (childrenChanged(previous, next)) {
                children.emit(next);
            }
        } else if (!readFailed(children, code, "getChildren", resync)) {
            return;
        }
        if (children.dirty) {
            children.dirty = false;
            requestRead(children);
        }
    }

    /**
     * Handles a failed read.
     *
     * @return {@code true} if the view goes on (it reads again on the next connection), {@code false} if it failed
     */
    private boolean readFailed(View view, Code code, String operation, boolean resync) {
        if (waitsForConnection(code)) {
            view.resync |= resync;
            return true;
        }
        view.fail(Errors.of(code, operation, path));
        return false;
    }

    static boolean dataChanged(@Nullable NodeSnapshot previous, NodeSnapshot next) {
        if (previous == null || previous.exists() != next.exists()) {
            return true;
        }
        Stat before = previous.stat();
        Stat after = next.stat();
        return before != null && after != null && before.getMzxid() != after.getMzxid();
    }

    static boolean childrenChanged(@Nullable ChildrenSnapshot previous, ChildrenSnapshot next) {
        if (previous == null || previous.exists() != next.exists()) {
            return true;
        }
        Stat before = previous.stat();
        Stat after = next.stat();
        return before != null
                && after != null
                && (before.getPzxid() != after.getPzxid() || before.getCversion() != after.getCversion());
    }

    @Override
    void failAll(Throwable error) {
        data.fail(error);
        children.fail(error);
    }

    @Override
    void completeAll() {
        data.complete();
        children.complete();
    }

    @Override
    void clearAll() {
        data.subscribers.clear();
        data.reset();
        children.subscribers.clear();
        children.reset();
    }

    /** The data or the children view of the node: its subscribers, its last emitted snapshot, its read. */
    private final class View {
        final Downstream.Channel channel;
        final Set<Downstream.Latest<?>> subscribers = new LinkedHashSet<>();

        /** The last emitted snapshot, given to subscribers that join later. */
        @Nullable
        Object current;

        long sequence;

        /** The sequence number of the read in flight, 0 if none. */
        long inFlight;

        /** An event arrived while a read was in flight: read again when it returns. */
        boolean dirty;

        /** The next read follows a reconnection: mark its snapshot. */
        boolean resync;

        View(Downstream.Channel channel) {
            this.channel = channel;
        }

        void emit(Object snapshot) {
            current = snapshot;
            for (Downstream.Latest<?> subscriber : subscribers) {
                subscriber.offer(snapshot);
            }
        }

        void fail(Throwable error) {
            List<Downstream.Latest<?>> failed = new ArrayList<>(subscribers);
            subscribers.clear();
            reset();
            for (Downstream.Latest<?> subscriber : failed) {
                owner.detach(subscriber);
                subscriber.fail(error);
            }
        }

        void complete() {
            List<Downstream.Latest<?>> completed = new ArrayList<>(subscribers);
            subscribers.clear();
            reset();
            for (Downstream.Latest<?> subscriber : completed) {
                owner.detach(subscriber);
                subscriber.complete();
            }
        }

        void reset() {
            current = null;
            inFlight = 0;
            dirty = false;
            resync = false;
        }
    }
}
