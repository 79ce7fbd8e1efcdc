package io.reactivezk.internal.session;

import io.reactivezk.ClientClosedException;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperSpec;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.codec.ZkPaths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.AsyncCallback.StringCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.client.ZKClientConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One container's ZooKeeper session, re-created after expiry, and the one producer of its {@link ConnectionEvent}s.
 *
 * <p>Each raw {@link ZooKeeper} handle is wrapped in a {@link Handle} that is also its default watcher, so events of
 * a retired handle are recognised and ignored. Every transition happens under {@link #lock}, which only guards field
 * updates; events are queued there and emitted outside the lock by a drain loop, so emissions are serialised, in
 * order, and never made while holding the lock. Nothing here blocks on ZooKeeper's event thread: handle creation and
 * closing run on the service's session scheduler, apart from the application's blocking work.
 */
public final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final String name;
    private final ZooKeeperSpec spec;
    private final ZooKeeperOptions options;
    /** The service's scheduler for session work: opening and closing handles, the give-up timer. */
    private final Scheduler lifecycle;

    /** Told once the session is closed (the service forgets the container). */
    private final Runnable onClosed;

    private final Sinks.Many<ConnectionEvent> events = Sinks.many().replay().latest();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final Queue<ConnectionEvent> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainWip = new AtomicInteger();
    private final Disposable.Swap pendingOpen = Disposables.swap();
    private final Disposable.Swap closing = Disposables.swap();

    private final Object lock = new Object();
    private volatile ConnectionEvent current;
    private volatile @Nullable Handle handle;
    private boolean closeRequested;
    private boolean completeRequested;
    private int generations;
    private long epochs;
    private int quickFailures;

    public Session(String name, ZooKeeperSpec spec, ZooKeeperOptions options, Scheduler lifecycle, Runnable onClosed) {
        this.name = name;
        this.onClosed = onClosed;
        this.spec = spec;
        this.options = options;
        this.lifecycle = lifecycle;
        this.current = new ConnectionEvent(name, ConnectionState.LOST, 0, 0, false, Instant.now());
        outbox.add(current);
        drain();
    }

    /** Opens the first session in the background. */
    public void start() {
        scheduleOpen(Duration.ZERO);
    }

    public ConnectionEvent current() {
        return current;
    }

    public Flux<ConnectionEvent> events() {
        return events.asFlux();
    }

    public boolean isClosed() {
        return closeRequested;
    }

    /** The current raw handle, whatever its state, or null before the first one exists or after close. */
    @Nullable
    public ZooKeeper zooKeeper() {
        Handle h = handle;
        return h == null ? null : h.zk;
    }

    /**
     * Emits the handle of the current session once the container is CONNECTED (at once if it is), or fails with
     * {@link ClientClosedException} if the container is or becomes closed. Never times out by itself.
     */
    public Mono<ZooKeeper> connected() {
        return Mono.defer(() -> {
            if (closeRequested) {
                return Mono.error(closedError());
            }
            ZooKeeper ready = readyHandle(current);
            if (ready != null) {
                return Mono.just(ready);
            }
            return events.asFlux()
                    .filter(event -> event.state() == ConnectionState.CONNECTED)
                    .concatMap(event -> Mono.justOrEmpty(readyHandle(event)))
                    .next()
                    .switchIfEmpty(Mono.error(this::closedError));
        });
    }

    /**
     * The handle of the current session if the container is CONNECTED now, else null: the fast path of an operation,
     * which then needs neither a subscription to the state stream nor an allocation.
     */
    public @Nullable ZooKeeper readyNow() {
        return closeRequested ? null : readyHandle(current);
    }

    /** The handle if {@code event} is CONNECTED and still describes the current session. */
    private @Nullable ZooKeeper readyHandle(ConnectionEvent event) {
        Handle h = handle;
        if (event.state() != ConnectionState.CONNECTED || h == null || h.epoch != event.epoch()) {
            return null;
        }
        return h.zk;
    }

    public ClientClosedException closedError() {
        return new ClientClosedException("ZooKeeper container '" + name + "' is closed");
    }

    /**
     * Starts closing now: closes the session on the server (its ephemeral nodes vanish), emits a final LOST unless
     * already LOST, and completes the event stream. Idempotent: every call returns the same completion.
     */
    public Mono<Void> closeNow() {
        startClose();
        return closed.asMono();
    }

    /** Emits the current CONNECTED event, or the next one; fails if the container is or becomes closed. */
    public Mono<ConnectionEvent> connectedEvent() {
        return Mono.defer(() -> {
            if (closeRequested) {
                return Mono.error(closedError());
            }
            return events.asFlux()
                    .filter(event -> readyHandle(event) != null)
                    .next()
                    .switchIfEmpty(Mono.error(this::closedError));
        });
    }

    private void startClose() {
        Handle h;
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            closeRequested = true;
            h = handle;
            pendingOpen.dispose();
        }
        ZooKeeper zk = h == null ? null : h.zk;
        if (zk == null) {
            finishClose(h);
            return;
        }
        try {
            closing.update(lifecycle.schedule(() -> {
                closeHandle(zk);
                finishClose(h);
            }));
        } catch (RejectedExecutionException e) {
            log.warn("{}: session scheduler shut down; closing the ZooKeeper handle on the caller's thread", name);
            closeHandle(zk);
            finishClose(h);
        }
    }

    private void finishClose(@Nullable Handle h) {
        synchronized (lock) {
            handle = null;
            transition(ConnectionState.LOST, h == null ? current.sessionId() : h.sessionId, current.epoch(), false);
            completeRequested = true;
        }
        drain();
        log.info("{}: closed", name);
        try {
            onClosed.run();
        } finally {
            Sinks.EmitResult result = closed.tryEmitEmpty();
            if (result.isFailure()) {
                log.debug("{}: close already reported ({})", name, result);
            }
        }
    }

    // ---- opening sessions (session scheduler) ----

    private void scheduleOpen(Duration delay) {
        synchronized (lock) {
            if (closeRequested) {
                return;
            }
            try {
                pendingOpen.update(
                        delay.isZero()
                                ? lifecycle.schedule(this::open)
                                : lifecycle.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException e) {
                log.warn("{}: cannot open a session, the session scheduler is shut down", name);
            }
        }
    }

    /** Runs on the session scheduler: the ZooKeeper constructor resolves host names and opens a selector. */
    private void open() {
        Handle h;
        synchronized (lock) {
            if (closeRequested || handle != null) {
                return;
            }
            h = new Handle(++generations);
            handle = h;
        }
        ZooKeeper zk;
        try {
            // The admin handle is a ZooKeeper handle that can also reconfigure the ensemble.
            zk = new ZooKeeperAdmin(
                    spec.connectString(),
                    (int) spec.sessionTimeout().toMillis(),
                    h,
                    options.canBeReadOnly(),
                    clientConfig());
            // Queued now, sent first once connected; the client sends them again after each reconnection.
            for (ZooKeeperOptions.Authentication credential : options.authentications()) {
                zk.addAuthInfo(credential.scheme(), credential.auth());
            }
        } catch (Exception e) {
            Duration delay;
            synchronized (lock) {
                if (handle == h) {
                    handle = null;
                }
                delay = nextBackoff();
            }
            log.warn(
                    "{}: cannot open a ZooKeeper session on {} ({}); retrying in {} ms",
                    name,
                    spec.connectString(),
                    e.toString(),
                    delay.toMillis());
            scheduleOpen(delay);
            return;
        }
        boolean orphan;
        boolean connectedEarly;
        boolean authFailedEarly;
        synchronized (lock) {
            h.zk = zk;
            orphan = closeRequested || handle != h;
            connectedEarly = h.connectedBeforeAssigned;
            authFailedEarly = h.authFailedEarly;
        }
        if (orphan) {
            closeHandle(zk);
            return;
        }
        if (authFailedEarly) {
            onAuthFailed(h);
        }
        log.debug("{}: opened a ZooKeeper handle on {}", name, spec.connectString());
        if (connectedEarly) {
            onConnected(h, h.readOnlyEarly);
        }
    }

    private ZKClientConfig clientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        options.clientProperties().forEach(config::setProperty);
        return config;
    }

    /** Called with the lock held. */
    private Duration nextBackoff() {
        quickFailures++;
        long min = options.reconnectMinBackoff().toMillis();
        long max = options.reconnectMaxBackoff().toMillis();
        int shift = Math.min(quickFailures - 1, 20);
        return Duration.ofMillis(Math.min(max, min << shift));
    }

    private void closeHandle(ZooKeeper zk) {
        try {
            zk.close((int) options.closeTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("{}: error while closing a ZooKeeper handle", name, e);
        }
    }

    // ---- events (ZooKeeper's event thread) ----

    private void onEvent(Handle h, WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            return;
        }
        switch (event.getState()) {
            case SyncConnected -> onConnected(h, false);
            case ConnectedReadOnly -> onConnected(h, true);
            case Disconnected -> onDisconnected(h);
            case Expired -> onSessionGone(h, "session expired");
            case AuthFailed -> onAuthFailed(h);
            default -> log.debug("{}: ignoring ZooKeeper state {}", name, event.getState());
        }
    }

    /**
     * A watcher of this container's (a watch stream's server watch) received an event that is not a node event: a
     * watch-removal notice. ZooKeeper's client reports a removal that failed because the connection dropped as an
     * event carrying the Disconnected state, and its event thread, which keeps one "last state" for all events, then
     * drops the real Disconnected event as a repeat (ClientCnxn.EventThread#queueEvent). So such a notice is the
     * disconnection signal. It is the current handle's if it arrives on that handle's event thread, where it is in
     * order with the handle's other events.
     */
    public void onWatcherEvent(WatchedEvent event) {
        if (event.getState() != Watcher.Event.KeeperState.Disconnected) {
            return;
        }
        Handle h = handle;
        if (h != null && h.eventThread == Thread.currentThread()) {
            log.debug("{}: a watch removal failed on a dropped connection; taking it as the disconnection", name);
            onDisconnected(h);
        }
    }

    /**
     * ZooKeeper reports AuthFailed in two cases: the server refused the SASL authentication (the handle is then in
     * state AUTH_FAILED, for good), and a JAAS configuration without a section for ZooKeeper (a {@code Client}
     * section is missing, common on hosts that run Kafka too): then the client goes on without SASL and connects. Only
     * the first ends the session.
     */
    private void onAuthFailed(Handle h) {
        ZooKeeper zk = h.zk;
        if (zk == null) {
            synchronized (lock) {
                h.authFailedEarly = true; // open() looks at the handle's state once it has it
            }
            return;
        }
        if (zk.getState() == ZooKeeper.States.AUTH_FAILED) {
            onSessionGone(h, "authentication failed");
        } else {
            log.warn(
                    "{}: SASL is not used for this ZooKeeper connection (ZooKeeper reports AuthFailed, but connects"
                            + " without it: is there a JAAS configuration without a '{}' section?)",
                    name,
                    clientConfig().getProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, "Client"));
        }
    }

    private void onConnected(Handle h, boolean readOnly) {
        ZooKeeper zk;
        int link;
        synchronized (lock) {
            if (closeRequested || handle != h) {
                return;
            }
            zk = h.zk;
            if (zk == null) {
                h.connectedBeforeAssigned = true;
                h.readOnlyEarly = readOnly;
                return;
            }
            if (h.linkUp && current.state() == ConnectionState.CONNECTED) {
                // ZooKeeper reports a connection only after a disconnection, so one was reported to a watcher we do
                // not own (an application's, on the raw handle) instead of to us: say so, or streams never resync.
                log.debug("{}: connected again without a reported disconnection", name);
                transition(ConnectionState.SUSPENDED, h.sessionId, h.epoch, false);
            }
            h.linkUp = true;
            h.connectedBeforeAssigned = false;
            h.sessionId = zk.getSessionId();
            link = ++h.link;
        }
        drain();
        ensureRoot(zk, h, link, readOnly, ZkPaths.ancestorsAndSelf(spec.rootPath()), 0);
    }

    /** Creates the root path and its missing parents one by one, then emits CONNECTED; never blocks. */
    private void ensureRoot(ZooKeeper zk, Handle h, int link, boolean readOnly, List<String> paths, int index) {
        if (index >= paths.size()) {
            onRootReady(h, link, readOnly);
            return;
        }
        String path = paths.get(index);
        StringCallback callback = (rc, ignoredPath, ctx, created) -> {
            Code code = Code.get(rc);
            if (code == Code.OK || code == Code.NODEEXISTS) {
                ensureRoot(zk, h, link, readOnly, paths, index + 1);
            } else if (code == Code.CONNECTIONLOSS || code == Code.SESSIONEXPIRED || code == Code.SESSIONMOVED) {
                log.debug("{}: connection lost while creating root path {}", name, path);
            } else {
                log.warn(
                        "{}: cannot create root path {} ({}); continuing without it",
                        name,
                        path,
                        Errors.describe(code));
                onRootReady(h, link, readOnly);
            }
        };
        zk.create(path, new byte[0], options.acl(), CreateMode.PERSISTENT, callback, null);
    }

    private void onRootReady(Handle h, int link, boolean readOnly) {
        synchronized (lock) {
            if (closeRequested || handle != h || h.link != link) {
                return;
            }
            if (h.epoch != 0 && h.sessionId != h.epochSessionId) {
                // One handle, another session: a session made on a read-only server is replaced by a read-write
                // one when the quorum is back. The old one is gone, as after an expiry.
                transition(ConnectionState.LOST, h.epochSessionId, h.epoch, false);
                h.epoch = 0;
            }
            if (h.epoch == 0) {
                h.epoch = ++epochs;
                h.epochSessionId = h.sessionId;
            }
            transition(ConnectionState.CONNECTED, h.sessionId, h.epoch, readOnly);
        }
        drain();
    }

    private void onDisconnected(Handle h) {
        int link;
        boolean suspended;
        synchronized (lock) {
            if (closeRequested || handle != h) {
                return;
            }
            if (h.connectedBeforeAssigned) {
                // Connected and dropped before open() saw the handle: it finds nothing to report.
                h.connectedBeforeAssigned = false;
                return;
            }
            if (!h.linkUp) {
                // Not connected since the last disconnection: nothing new (see onWatcherEvent).
                return;
            }
            h.linkUp = false;
            link = ++h.link;
            if (current.state() == ConnectionState.CONNECTED) {
                transition(ConnectionState.SUSPENDED, h.sessionId, h.epoch, false);
            }
            // Also when a reconnection dropped again before CONNECTED: the server heard from the client then, so the
            // session's timeout starts again from this disconnection.
            suspended = current.state() == ConnectionState.SUSPENDED;
        }
        drain();
        if (suspended) {
            scheduleGiveUp(h, link);
        }
    }

    /**
     * Gives the session up if no server answers within its timeout: by then a server with a quorum has expired it
     * (its ephemeral nodes are gone), so the container says LOST and opens a new session at once instead of waiting
     * for a server to confirm the expiry. A new session is also what a read-only server accepts (it refuses sessions
     * created in read-write mode). If the whole ensemble was down meanwhile the old session might have survived; its
     * nodes then go with its timeout, and advertisements clean up after it.
     */
    private void scheduleGiveUp(Handle h, int link) {
        ZooKeeper zk = h.zk;
        int negotiated = zk == null ? 0 : zk.getSessionTimeout();
        long timeout = negotiated > 0 ? negotiated : spec.sessionTimeout().toMillis();
        try {
            lifecycle.schedule(() -> giveUpIfStillDisconnected(h, link, timeout), timeout, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: session scheduler shut down; not timing the disconnection", name);
        }
    }

    private void giveUpIfStillDisconnected(Handle h, int link, long timeout) {
        synchronized (lock) {
            if (closeRequested || handle != h || h.link != link || current.state() != ConnectionState.SUSPENDED) {
                return;
            }
        }
        onSessionGone(h, "no server answered within the session timeout of " + timeout + " ms");
    }

    private void onSessionGone(Handle h, String reason) {
        Duration delay;
        synchronized (lock) {
            if (closeRequested || handle != h) {
                return;
            }
            handle = null;
            h.link++;
            transition(ConnectionState.LOST, h.sessionId, h.epoch, false);
            // A session that connected is replaced at once, however short its life; only sessions that never
            // connected (authentication failures, say) back off, so a broken set-up cannot spin.
            if (h.epoch != 0) {
                quickFailures = 0;
                delay = Duration.ZERO;
            } else {
                delay = nextBackoff();
            }
        }
        drain();
        log.info(
                "{}: {} (session 0x{}); opening a new session{}",
                name,
                reason,
                Long.toHexString(h.sessionId),
                delay.isZero() ? "" : " in " + delay.toMillis() + " ms");
        ZooKeeper dead = h.zk;
        if (dead != null) {
            try {
                lifecycle.schedule(() -> closeHandle(dead));
            } catch (RejectedExecutionException e) {
                log.debug("{}: session scheduler shut down; not closing the expired handle", name);
            }
        }
        scheduleOpen(delay);
    }

    // ---- emission ----

    /** Records a state change; called with the lock held. Consecutive duplicates are dropped. */
    private void transition(ConnectionState state, long sessionId, long epoch, boolean readOnly) {
        ConnectionEvent previous = current;
        if (previous.state() == state && previous.sessionId() == sessionId && previous.readOnly() == readOnly) {
            return;
        }
        ConnectionEvent next = new ConnectionEvent(name, state, sessionId, epoch, readOnly, Instant.now());
        current = next;
        outbox.add(next);
        log.info(
                "{}: {}{} (session 0x{}, epoch {})",
                name,
                state,
                readOnly ? " read-only" : "",
                Long.toHexString(sessionId),
                epoch);
    }

    /** Emits queued events in order from whichever thread gets here first; never called with the lock held. */
    private void drain() {
        if (drainWip.getAndIncrement() != 0) {
            return;
        }
        do {
            ConnectionEvent event;
            while ((event = outbox.poll()) != null) {
                Sinks.EmitResult result = events.tryEmitNext(event);
                if (result.isFailure()) {
                    log.warn("{}: could not emit {}: {}", name, event, result);
                }
            }
            if (completeRequested) {
                events.tryEmitComplete();
            }
        } while (drainWip.decrementAndGet() != 0);
    }

    /** One raw ZooKeeper handle and what the session machine knows about it. Guarded by {@link Session#lock}. */
    private final class Handle implements Watcher {
        final int generation;
        volatile @Nullable ZooKeeper zk;
        long sessionId;
        volatile long epoch;

        /** The session that {@link #epoch} numbers; guarded by the session's lock. */
        long epochSessionId;

        int link;

        /** Whether ZooKeeper reported a connection more recently than a disconnection. */
        boolean linkUp;

        /** ZooKeeper's event thread of this handle, which delivers all its events in order; set by the first. */
        volatile @Nullable Thread eventThread;

        boolean connectedBeforeAssigned;
        boolean readOnlyEarly;
        boolean authFailedEarly;

        Handle(int generation) {
            this.generation = generation;
        }

        @Override
        public void process(WatchedEvent event) {
            if (eventThread == null) {
                eventThread = Thread.currentThread();
            }
            onEvent(this, event);
        }

        @Override
        public String toString() {
            return "handle#" + generation;
        }
    }
}
