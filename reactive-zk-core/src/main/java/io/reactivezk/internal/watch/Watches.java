package io.reactivezk.internal.watch;

import io.reactivezk.ChildrenSnapshot;
import io.reactivezk.DataFormatException;
import io.reactivezk.DataValue;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.TreeEvent;
import io.reactivezk.UndecodableData;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.codec.Json;
import io.reactivezk.internal.codec.ZkPaths;
import io.reactivezk.internal.session.Session;
import java.util.HashMap;
import java.util.Map;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.AsyncCallback.VoidCallback;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * The watch streams of one container, and the registry that shares server watches between them.
 *
 * <p>There is at most one {@link ServerWatch} per absolute path and {@link AddWatchMode} in a container: the data and
 * the children streams of a node share its {@link AddWatchMode#PERSISTENT} watch, tree streams share a
 * {@link AddWatchMode#PERSISTENT_RECURSIVE} one, however many subscribers there are. The registry counts the
 * subscribers of each; the first one creates it, the last one to leave removes it from the server.
 *
 * <p>Adding and removing server watches happens under the registry's lock, so for one path and mode a removal is
 * always queued on the connection before the next addition: ZooKeeper answers in order, and a new watch is never
 * removed by its predecessor's late removal. The lock is held only to update counts and queue requests, never while a
 * subscriber runs.
 *
 * <p>The server watch is removed with {@link ZooKeeper#removeAllWatches(String, WatcherType, boolean, VoidCallback,
 * Object)} for its own type: ZooKeeper's {@code removeWatches} with a watcher object only checks the server and forgets
 * the watcher locally, leaving the server's watch in place. As a consequence, persistent watches that an application
 * adds with the raw handle on the same path are removed too.
 *
 * <p>Servers before ZooKeeper 3.9 differ in two ways, and this class covers both:
 *
 * <ul>
 *   <li>They keep one watch mode per path and session (ZOOKEEPER-4466): a {@code PERSISTENT} watch added on a path
 *       that has a {@code PERSISTENT_RECURSIVE} one turns it into a plain persistent watch, and the tree below stops
 *       reporting. So while a tree stream watches a path, the data and children streams of that same path hold no
 *       watch of their own (one they had is removed when the tree watch is added): the tree watch feeds them
 *       ({@link TreeWatch} forwards the events of the node and of its direct children). When the tree watch goes,
 *       their own watch is added and they read again.
 *   <li>They do not know the watcher types {@code Persistent} and {@code PersistentRecursive} (ZOOKEEPER-4472) and
 *       answer {@code MARSHALLINGERROR}. The first such answer switches the container to removing by path
 *       ({@link WatcherType#Any}) when no other stream watches that path, and to forgetting the watcher locally when
 *       one does (the server's single watch on that path serves it).
 * </ul>
 */
public final class Watches {

    private static final Logger log = LoggerFactory.getLogger(Watches.class);

    /** One server watch: a path and a mode. */
    private record Key(String path, AddWatchMode mode) {}

    private final String name;
    private final String root;
    private final Session session;
    private final Json json;
    private final @Nullable Scheduler publishOn;

    private final Object lock = new Object();
    private final Map<Key, ServerWatch> watches = new HashMap<>();

    /**
     * Whether the server removes persistent watches by their own type: {@code null} until a removal tells, {@code
     * false} for servers before ZooKeeper 3.9; guarded by {@link #lock}.
     */
    private @Nullable Boolean typedRemoval;

    public Watches(String name, String root, Session session, Json json, @Nullable Scheduler publishOn) {
        this.name = name;
        this.root = root;
        this.session = session;
        this.json = json;
        this.publishOn = publishOn;
    }

    String name() {
        return name;
    }

    /** The server watches held now, for metrics. */
    public int serverWatchCount() {
        synchronized (lock) {
            return watches.size();
        }
    }

    /** The subscribers attached to the server watches now, for metrics. */
    public int subscriberCount() {
        synchronized (lock) {
            int count = 0;
            for (ServerWatch watch : watches.values()) {
                count += watch.refs;
            }
            return count;
        }
    }

    Session session() {
        return session;
    }

    /** The container-relative form of an absolute path. */
    String relative(String absolute) {
        return ZkPaths.relativize(root, absolute);
    }

    // ---- streams ----

    public Flux<NodeSnapshot> data(String absolute) {
        return Flux.<NodeSnapshot>from(subscriber -> {
            CoreSubscriber<? super NodeSnapshot> actual = Operators.toCoreSubscriber(subscriber);
            subscribe(
                    new Downstream.Latest<>(Downstream.Channel.DATA, actual, this, publishOn),
                    actual,
                    absolute,
                    AddWatchMode.PERSISTENT);
        });
    }

    public <T> Flux<DataValue<T>> data(String absolute, Class<T> type, UndecodableData undecodable) {
        return data(absolute).handle((snapshot, sink) -> {
            if (!snapshot.exists()) {
                sink.next(new DataValue<>(snapshot, null, null));
                return;
            }
            byte[] bytes = snapshot.data();
            try {
                sink.next(new DataValue<>(snapshot, bytes == null ? null : json.read(bytes, absolute, type), null));
            } catch (DataFormatException e) {
                if (undecodable == UndecodableData.EMIT) {
                    sink.next(new DataValue<>(snapshot, null, e));
                } else {
                    log.debug("{}: skipping undecodable data of {}: {}", name, absolute, e.getMessage());
                }
            }
        });
    }

    public Flux<ChildrenSnapshot> children(String absolute) {
        return Flux.<ChildrenSnapshot>from(subscriber -> {
            CoreSubscriber<? super ChildrenSnapshot> actual = Operators.toCoreSubscriber(subscriber);
            subscribe(
                    new Downstream.Latest<>(Downstream.Channel.CHILDREN, actual, this, publishOn),
                    actual,
                    absolute,
                    AddWatchMode.PERSISTENT);
        });
    }

    public Flux<TreeEvent> tree(String absolute, int bufferSize) {
        return Flux.<TreeEvent>from(subscriber -> {
            CoreSubscriber<? super TreeEvent> actual = Operators.toCoreSubscriber(subscriber);
            subscribe(
                    new Downstream.Buffered(actual, this, publishOn, bufferSize),
                    actual,
                    absolute,
                    AddWatchMode.PERSISTENT_RECURSIVE);
        });
    }

    private void subscribe(Downstream<?> downstream, CoreSubscriber<?> subscriber, String absolute, AddWatchMode mode) {
        subscriber.onSubscribe(downstream);
        ServerWatch watch;
        boolean created = false;
        synchronized (lock) {
            if (downstream.isCancelled()) {
                return;
            }
            Key key = new Key(absolute, mode);
            watch = watches.get(key);
            if (watch == null) {
                watch = mode == AddWatchMode.PERSISTENT_RECURSIVE
                        ? new TreeWatch(this, absolute)
                        : new NodeWatch(this, absolute);
                watches.put(key, watch);
                created = true;
            }
            watch.refs++;
            downstream.watch = watch;
        }
        if (created) {
            log.debug("{}: watching {} ({})", name, absolute, mode);
            watch.start();
        }
        ServerWatch attached = watch;
        attached.submit(() -> attached.attach(downstream));
    }

    /**
     * Lets a subscriber go: it cancelled, or its stream ended. Idempotent. The last subscriber of a server watch
     * retires it and removes it from the server.
     */
    void detach(Downstream<?> downstream) {
        ServerWatch watch;
        boolean last;
        NodeWatch fed = null;
        synchronized (lock) {
            watch = downstream.watch;
            if (watch == null || downstream.detached) {
                return;
            }
            downstream.detached = true;
            last = --watch.refs == 0;
            if (last) {
                watch.retired = true;
                watches.remove(new Key(watch.path, watch.mode), watch);
                watch.connection.dispose();
                removeFromServer(watch);
                if (watch.mode == AddWatchMode.PERSISTENT_RECURSIVE) {
                    fed = nodeWatchOf(watch.path);
                }
            }
        }
        if (fed != null) {
            // The tree watch fed this node's streams; now they need their own watch, queued after the removal.
            fed.submit(fed::rearm);
        }
        ServerWatch detached = watch;
        detached.submit(() -> detached.detach(downstream));
        if (last) {
            log.debug("{}: no longer watching {} ({})", name, watch.path, watch.mode);
            detached.submit(detached::retire);
        }
    }

    /**
     * Adds a server watch on a handle unless the watch was retired meanwhile.
     *
     * @return whether the request was queued
     */
    boolean addWatch(ServerWatch watch, ZooKeeper zk, VoidCallback callback) {
        synchronized (lock) {
            if (watch.retired) {
                return false;
            }
            if (watch.mode == AddWatchMode.PERSISTENT
                    && watches.containsKey(new Key(watch.path, AddWatchMode.PERSISTENT_RECURSIVE))) {
                // fed by the tree watch on the same path; see the class comment
                return false;
            }
            watch.addedOn = zk;
            zk.addWatch(watch.path, watch, watch.mode, callback, null);
            NodeWatch node = watch.mode == AddWatchMode.PERSISTENT_RECURSIVE ? nodeWatchOf(watch.path) : null;
            if (node != null && node.addedOn == zk) {
                // From now on the tree watch feeds that node's streams: drop its own watch, so that no reconnection
                // restores both on a server that keeps one mode per path (it could restore the plain one last).
                node.addedOn = null;
                zk.removeAllWatches(
                        watch.path,
                        WatcherType.Persistent,
                        true,
                        (rc, path, ctx) -> logRemoval(Code.get(rc), path),
                        null);
            }
            return true;
        }
    }

    /** The server refused to add a watch: there is nothing to remove when its last subscriber leaves. */
    void addFailed(ServerWatch watch) {
        synchronized (lock) {
            watch.addedOn = null;
        }
    }

    /** The data and children watch of a path, if a stream watches it; for the tree watch of the same path. */
    @Nullable
    NodeWatch nodeWatch(String absolute) {
        synchronized (lock) {
            return nodeWatchOf(absolute);
        }
    }

    /** Called with the lock held. */
    private @Nullable NodeWatch nodeWatchOf(String absolute) {
        return watches.get(new Key(absolute, AddWatchMode.PERSISTENT)) instanceof NodeWatch node ? node : null;
    }

    /** Called with the lock held. */
    private void removeFromServer(ServerWatch watch) {
        ZooKeeper zk = watch.addedOn;
        if (zk == null || session.isClosed()) {
            return;
        }
        WatcherType type = typeOf(watch);
        try {
            if (typedRemoval == null) {
                // Not known yet whether the server removes by type: ask it, and learn from the answer.
                zk.removeAllWatches(
                        watch.path,
                        type,
                        false,
                        (rc, path, ctx) -> {
                            Code code = Code.get(rc);
                            synchronized (lock) {
                                removedByType(watch, zk, code);
                            }
                        },
                        null);
            } else if (typedRemoval) {
                removeByType(watch, zk, type);
            } else {
                removeLegacy(watch, zk);
            }
        } catch (RuntimeException e) {
            log.warn("{}: cannot remove the watch on {}", name, watch.path, e);
        }
    }

    private static WatcherType typeOf(ServerWatch watch) {
        return watch.mode == AddWatchMode.PERSISTENT_RECURSIVE
                ? WatcherType.PersistentRecursive
                : WatcherType.Persistent;
    }

    /** The answer to the first removal; called with the lock held. */
    private void removedByType(ServerWatch watch, ZooKeeper zk, Code code) {
        switch (code) {
            case OK -> {
                if (typedRemoval == null) {
                    typedRemoval = true;
                }
            }
            case NOWATCHER ->
                // The server had none (its connection changed meanwhile); make sure no reconnection restores it.
                forgetLocally(watch, zk);
            case MARSHALLINGERROR, UNIMPLEMENTED, BADARGUMENTS -> {
                if (typedRemoval == null) {
                    log.info(
                            "{}: the server predates ZooKeeper 3.9 ({} for a typed watch removal):"
                                    + " watches are removed by path from now on",
                            name,
                            code);
                }
                typedRemoval = false;
                removeLegacy(watch, zk);
            }
            default -> {
                if (ServerWatch.waitsForConnection(code)) {
                    // The server drops a lost connection's watches; forget this one here so no reconnection restores
                    // it.
                    forgetLocally(watch, zk);
                } else {
                    log.warn("{}: cannot remove the watch on {} ({})", name, watch.path, Errors.describe(code));
                }
            }
        }
    }

    private void removeByType(ServerWatch watch, ZooKeeper zk, WatcherType type) {
        // local = true: if the connection is down, the watch is forgotten here and so not re-registered on
        // reconnection; the server drops the old connection's watches itself.
        zk.removeAllWatches(watch.path, type, true, (rc, path, ctx) -> logRemoval(Code.get(rc), path), null);
    }

    /**
     * Removal on a server before 3.9, which holds one watch per path and session; called with the lock held. If
     * another stream of this container watches the path, the server's watch is its watch: only this watcher is
     * forgotten locally. Otherwise the path's watches are removed.
     */
    private void removeLegacy(ServerWatch watch, ZooKeeper zk) {
        boolean shared = false;
        for (AddWatchMode mode : AddWatchMode.values()) {
            shared |= watches.containsKey(new Key(watch.path, mode));
        }
        if (shared) {
            forgetLocally(watch, zk);
        } else {
            zk.removeAllWatches(
                    watch.path, WatcherType.Any, true, (rc, path, ctx) -> logRemoval(Code.get(rc), path), null);
        }
    }

    private void forgetLocally(ServerWatch watch, ZooKeeper zk) {
        try {
            zk.removeWatches(watch.path, watch, typeOf(watch), true, (rc, path, ctx) -> {}, null);
        } catch (RuntimeException e) {
            log.debug("{}: cannot forget the watch on {}", name, watch.path, e);
        }
    }

    private void logRemoval(Code code, String path) {
        if (code != Code.OK
                && code != Code.NOWATCHER
                && code != Code.MARSHALLINGERROR
                && !ServerWatch.waitsForConnection(code)) {
            log.warn("{}: cannot remove the watch on {} ({})", name, path, Errors.describe(code));
        }
    }
}
