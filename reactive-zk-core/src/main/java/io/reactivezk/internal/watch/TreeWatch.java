package io.reactivezk.internal.watch;

import io.reactivezk.TreeEvent;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.codec.ZkPaths;
import io.reactivezk.internal.operation.Calls;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * A {@link AddWatchMode#PERSISTENT_RECURSIVE} watch on a subtree, feeding its tree streams.
 *
 * <p>The watch keeps a model of the subtree as this client knows it: every node's path and {@code mzxid}, filled by
 * reading the tree and kept current by the server's events. The stream shared by all subscribers is
 * {@code [RESYNC] PRESENT* INITIALIZED change*}, repeated after each reconnection or new session. Each subscriber
 * buffers at most its own bound of events; one that falls further behind, and one that joins late, is handed a
 * snapshot of the model instead, so a slow subscriber costs no extra reads on the server.
 *
 * <p>The tree is read breadth first with a bounded number of {@code getChildren} calls in flight, each of which also
 * gives the node's {@code mzxid}. An event that arrives meanwhile is sorted by what the read has seen of its node,
 * because the server delivers an event before any reply that reflects its change: a node whose read already came
 * back, or that its parent's listing (already back) did not name, changed after the read saw it, and the event is held
 * back and applied after {@code INITIALIZED}; a node still to be read will show the change itself, and the event is
 * dropped. This needs no zxid, which servers before 3.9 do not put in notifications (they send -1). Held events are
 * kept in order up to {@link #MAX_HELD_EVENTS}; past that, only the latest change of each node is kept, so a busy
 * tree never makes the read start again.
 */
final class TreeWatch extends ServerWatch {

    /** Most {@code getChildren} calls in flight while reading a tree. */
    static final int MAX_READS_IN_FLIGHT = 64;

    /** Most events held back in order while the tree is read; past that, one per node. */
    static final int MAX_HELD_EVENTS = 10_000;

    /** {@link #MAX_HELD_EVENTS}, lowered by tests of this package. */
    static int maxHeldEvents = MAX_HELD_EVENTS;

    private final Set<Downstream.Buffered> subscribers = new LinkedHashSet<>();
    private final Map<String, TreeEvent> model = new LinkedHashMap<>();
    private final TreeEvent resyncMarker;
    private final TreeEvent initializedMarker;

    private boolean initialized;
    private int reads;
    private long modelVersion;
    private @Nullable List<TreeEvent> snapshot;
    private long snapshotVersion = -1;

    // The read in progress.
    private long generation;
    private boolean reading;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    /** Every node this read has queued, read or is reading. */
    private final Set<String> scheduled = new HashSet<>();

    private int inFlight;
    private final List<TreeEvent> held = new ArrayList<>();
    /** Past {@link #maxHeldEvents}: the latest held change of each node, and whether one of them was a deletion. */
    private final Map<String, TreeEvent> latestHeld = new LinkedHashMap<>();

    private final Set<String> deletedWhileHeld = new HashSet<>();

    TreeWatch(Watches owner, String path) {
        super(owner, path, AddWatchMode.PERSISTENT_RECURSIVE);
        String relative = owner.relative(path);
        this.resyncMarker = new TreeEvent(TreeEvent.Type.RESYNC, relative, path, -1);
        this.initializedMarker = new TreeEvent(TreeEvent.Type.INITIALIZED, relative, path, -1);
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
        Downstream.Buffered subscriber = (Downstream.Buffered) downstream;
        subscribers.add(subscriber);
        if (reads == 0) {
            if (connected()) {
                startReading(false);
            }
            return;
        }
        List<TreeEvent> now = snapshot();
        if (!now.isEmpty() || initialized) {
            subscriber.reset(null, now, initialized ? initializedMarker : null);
        }
    }

    @Override
    void detach(Downstream<?> downstream) {
        subscribers.remove(downstream);
    }

    @Override
    void onConnected(boolean newSession) {
        if (!subscribers.isEmpty()) {
            startReading(reads > 0);
        }
    }

    @Override
    void onNodeEvent(WatchedEvent event) {
        TreeEvent.Type type = switch (event.getType()) {
            case NodeCreated -> TreeEvent.Type.CREATED;
            case NodeDeleted -> TreeEvent.Type.DELETED;
            case NodeDataChanged -> TreeEvent.Type.DATA_CHANGED;
            default -> null;
        };
        String eventPath = event.getPath();
        if (type == null || eventPath == null) {
            return;
        }
        feedNodeWatch(event, type, eventPath);
        TreeEvent change = new TreeEvent(type, owner.relative(eventPath), eventPath, event.getZxid());
        if (reading) {
            if (changedAfterItsRead(eventPath)) {
                hold(change);
            }
            // else: the read of that node is still to come and shows the change
        } else if (initialized) {
            apply(change);
        }
        // else: the tree has not been read yet, or a read was cut short; the next read reflects this change
    }

    /** Whether the read in progress has already seen {@code node} (or its parent's listing without it). */
    private boolean changedAfterItsRead(String node) {
        if (model.containsKey(node)) {
            return true;
        }
        if (scheduled.contains(node) || node.equals(path)) {
            return false;
        }
        return model.containsKey(ZkPaths.parent(node));
    }

    private void hold(TreeEvent change) {
        if (latestHeld.isEmpty() && held.size() < maxHeldEvents) {
            held.add(change);
            return;
        }
        if (latestHeld.isEmpty()) {
            for (TreeEvent earlier : held) {
                holdLatest(earlier);
            }
            held.clear();
        }
        holdLatest(change);
    }

    private void holdLatest(TreeEvent change) {
        if (change.type() == TreeEvent.Type.DELETED) {
            deletedWhileHeld.add(change.absolutePath());
        }
        latestHeld.put(change.absolutePath(), change);
    }

    /**
     * Passes what concerns the watched node itself to the data and children streams of the same path, which add no
     * watch of their own while this one exists (see {@link Watches}).
     */
    private void feedNodeWatch(WatchedEvent event, TreeEvent.Type type, String eventPath) {
        boolean self = eventPath.equals(path);
        boolean child = !self
                && type != TreeEvent.Type.DATA_CHANGED
                && ZkPaths.parent(eventPath).equals(path);
        if (!self && !child) {
            return;
        }
        NodeWatch fed = owner.nodeWatch(path);
        if (fed == null) {
            return;
        }
        fed.process(self ? event : new WatchedEvent(EventType.NodeChildrenChanged, KeeperState.SyncConnected, path));
    }

    // ---- reading the tree ----

    private void startReading(boolean resync) {
        generation++;
        reads++;
        reading = true;
        initialized = false;
        model.clear();
        modelVersion++;
        clearHeld();
        pending.clear();
        scheduled.clear();
        inFlight = 0;
        if (resync) {
            emit(resyncMarker);
        }
        schedule(path);
        pump();
    }

    private void pump() {
        if (!connected()) {
            // Cut short: the next CONNECTED starts a new read.
            reading = false;
            return;
        }
        long forGeneration = generation;
        while (inFlight < MAX_READS_IN_FLIGHT && !pending.isEmpty()) {
            String node = pending.poll();
            inFlight++;
            handle().getChildren(
                            node,
                            false,
                            (rc, p, ctx, names, stat) -> submit(() -> onChildren(forGeneration, node, rc, names, stat)),
                            null);
        }
    }

    private void onChildren(long forGeneration, String node, int rc, @Nullable List<String> names, Stat stat) {
        if (closed() || forGeneration != generation || !reading) {
            return;
        }
        inFlight--;
        Code code = Code.get(rc);
        if (code == Code.OK) {
            TreeEvent present = new TreeEvent(TreeEvent.Type.PRESENT, owner.relative(node), node, stat.getMzxid());
            model.put(node, present);
            modelVersion++;
            emit(present);
            for (String name : Calls.sorted(names)) {
                schedule(ZkPaths.child(node, name));
            }
        } else if (code != Code.NONODE) {
            if (waitsForConnection(code)) {
                reading = false;
                return;
            }
            failAll(Errors.of(code, "getChildren", node));
            return;
        }
        if (inFlight == 0 && pending.isEmpty()) {
            finishReading();
        } else {
            pump();
        }
    }

    private void schedule(String node) {
        pending.add(node);
        scheduled.add(node);
    }

    private void finishReading() {
        reading = false;
        initialized = true;
        scheduled.clear();
        emit(initializedMarker);
        List<TreeEvent> changes = new ArrayList<>(held);
        Map<String, TreeEvent> latest = new LinkedHashMap<>(latestHeld);
        Set<String> deleted = new HashSet<>(deletedWhileHeld);
        clearHeld();
        for (TreeEvent change : changes) {
            apply(change);
        }
        for (TreeEvent change : latest.values()) {
            applyLatest(change, deleted.contains(change.absolutePath()));
        }
    }

    private void clearHeld() {
        held.clear();
        latestHeld.clear();
        deletedWhileHeld.clear();
    }

    /**
     * Applies the latest of several changes of one node: what the model holds is brought to that change's outcome,
     * with the events that take it there ({@code DELETED} then {@code CREATED} for a node deleted and created again).
     */
    private void applyLatest(TreeEvent change, boolean deletedOnce) {
        boolean known = model.containsKey(change.absolutePath());
        if (change.type() == TreeEvent.Type.DELETED) {
            if (known) {
                apply(change);
            }
            return;
        }
        if (!known) {
            apply(retyped(change, TreeEvent.Type.CREATED));
        } else if (deletedOnce) {
            apply(retyped(change, TreeEvent.Type.DELETED));
            apply(retyped(change, TreeEvent.Type.CREATED));
        } else {
            apply(retyped(change, TreeEvent.Type.DATA_CHANGED));
        }
    }

    private static TreeEvent retyped(TreeEvent change, TreeEvent.Type type) {
        return new TreeEvent(type, change.path(), change.absolutePath(), change.zxid());
    }

    /**
     * Applies a change that the model does not reflect yet (a live event, or one held back during the read) and emits
     * it. A deletion of a node the model does not hold is not reported.
     */
    private void apply(TreeEvent change) {
        if (change.type() == TreeEvent.Type.DELETED) {
            if (model.remove(change.absolutePath()) == null) {
                return;
            }
        } else {
            model.put(
                    change.absolutePath(),
                    new TreeEvent(TreeEvent.Type.PRESENT, change.path(), change.absolutePath(), change.zxid()));
        }
        modelVersion++;
        emit(change);
    }

    // ---- delivery ----

    /** Offers an event, already applied to the model, to every subscriber; one that is full gets a snapshot. */
    private void emit(TreeEvent event) {
        for (Downstream.Buffered subscriber : subscribers) {
            if (!subscriber.offer(event)) {
                subscriber.reset(resyncMarker, snapshot(), initialized ? initializedMarker : null);
            }
        }
    }

    /** The model as {@code PRESENT} events, parents first; shared until the model changes. */
    private List<TreeEvent> snapshot() {
        List<TreeEvent> current = snapshot;
        if (current == null || snapshotVersion != modelVersion) {
            current = List.copyOf(model.values());
            snapshot = current;
            snapshotVersion = modelVersion;
        }
        return current;
    }

    @Override
    void failAll(Throwable error) {
        List<Downstream.Buffered> failed = new ArrayList<>(subscribers);
        clearAll();
        for (Downstream.Buffered subscriber : failed) {
            owner.detach(subscriber);
            subscriber.fail(error);
        }
    }

    @Override
    void completeAll() {
        List<Downstream.Buffered> completed = new ArrayList<>(subscribers);
        clearAll();
        for (Downstream.Buffered subscriber : completed) {
            owner.detach(subscriber);
            subscriber.complete();
        }
    }

    @Override
    void clearAll() {
        subscribers.clear();
        model.clear();
        modelVersion++;
        snapshot = null;
        clearHeld();
        pending.clear();
        scheduled.clear();
        reading = false;
        initialized = false;
        inFlight = 0;
        generation++;
    }
}
