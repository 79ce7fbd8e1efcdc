package io.reactivezk.internal.write;

import io.reactivezk.Advertisement;
import io.reactivezk.ClientClosedException;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.NodeException;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.codec.Payloads;
import io.reactivezk.internal.operation.Calls;
import io.reactivezk.internal.session.Session;
import io.reactivezk.internal.watch.Watches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * A container's advertisements. Each one has its own serialised worker that brings the server to the wanted state:
 * exactly one node, owned by the current session, holding the latest data; or, once withdrawn, none. The worker runs
 * whenever something may have changed that state: creation, {@code update}, {@code withdraw}, every CONNECTED event (a
 * new session needs a new node; a same-session reconnect finds everything in place and does nothing), and a change of
 * the node made by someone else (deleted, or its data overwritten), which a data watch on the node reports. Triggers
 * that arrive while it works are coalesced into one more pass.
 *
 * <p>A pass that fails transiently (connection loss) is retried with backoff, without holding up the other
 * advertisements. A pass that fails for good (NOAUTH, INVALIDACL, an ephemeral parent) fails what its callers wait
 * for and is not retried until the next trigger; an advertisement whose node was never created is then forgotten, so
 * nothing is left to withdraw.
 */
public final class Advertisements {

    private static final Logger log = LoggerFactory.getLogger(Advertisements.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Sinks.EmitFailureHandler SPIN = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));

    private final String container;
    private final Session session;
    private final Payloads payloads;
    private final Writes writes;
    private final Watches watches;
    private final Function<String, String> relativize;
    private final List<ACL> acl;
    private final Map<String, Ad> byPath = new ConcurrentHashMap<>();
    private final Disposable connections;
    private final Runnable onRewritten;

    public Advertisements(
            String container,
            Session session,
            Payloads payloads,
            Writes writes,
            Watches watches,
            List<ACL> acl,
            Function<String, String> relativize,
            Runnable onRewritten) {
        this.onRewritten = onRewritten;
        this.container = container;
        this.session = session;
        this.payloads = payloads;
        this.writes = writes;
        this.watches = watches;
        this.relativize = relativize;
        this.acl = acl;
        Flux<ConnectionEvent> connected = session.events().filter(e -> e.state() == ConnectionState.CONNECTED);
        this.connections = connected.subscribe(event -> byPath.values().forEach(Ad::triggerSafely));
    }

    /** Registers (or updates) the advertisement at {@code prefix} when subscribed; emits it once its node exists. */
    public Mono<Advertisement> advertise(String prefix, byte[] data) {
        return Mono.defer(() -> {
            if (session.isClosed()) {
                return Mono.error(session.closedError());
            }
            Ad[] created = new Ad[1];
            Ad ad = byPath.computeIfAbsent(prefix, key -> created[0] = new Ad(key, data));
            if (created[0] == null) {
                return ad.replace(data).thenReturn(ad);
            }
            Mono<Advertisement> placed = ad.await(Want.PLACED, 0).thenReturn(ad);
            ad.start();
            return placed;
        });
    }

    /** The live advertisement made with {@code prefix}, if any. */
    public Optional<Advertisement> find(String prefix) {
        return Optional.ofNullable(byPath.get(prefix));
    }

    /** Stops every worker; the session's close then removes the nodes with it. */
    public void close() {
        connections.dispose();
        for (Ad ad : byPath.values()) {
            ad.stop();
        }
        byPath.clear();
    }

    /** What a caller of {@code advertise}, {@code update} or {@code withdraw} waits for. */
    private enum Want {
        PLACED,
        WRITTEN,
        GONE
    }

    /** One caller waiting for its request to reach the server. */
    private record Waiter(Want want, long generation, Sinks.Empty<Void> done) {}

    /** One advertisement and its worker. */
    private final class Ad implements Advertisement {
        final String prefix;
        final Sinks.Many<String> nodes = Sinks.many().replay().latest();
        /**
         * Where {@link #trigger()} asks for a pass: a serialized sink that queues a tick sent while another is being
         * delivered (from another thread, or from inside a pass, as when a waiter's completion runs user code that
         * updates the advertisement), never failing the sender; the latest tick is enough.
         */
        private volatile @Nullable FluxSink<Boolean> triggers;

        final AtomicLong generation = new AtomicLong(1);
        final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
        /** Sessions that owned a node of this advertisement before the current one; their leftovers are deleted. */
        final Set<Long> formerOwners = ConcurrentHashMap.newKeySet();

        /** The nodes this advertisement had in earlier sessions: the leftovers a new session may find. */
        final Set<String> formerNodes = ConcurrentHashMap.newKeySet();
        /** The data watch on the current node, which reports changes made by someone else. */
        final Disposable.Swap repairs = Disposables.swap();

        volatile byte[] data;
        volatile boolean withdrawn;
        /** Set once the advertisement is over (withdrawn and deleted, or its container closed). */
        volatile boolean ended;

        volatile @Nullable String node;
        volatile long nodeOwner;
        volatile boolean everPlaced;
        volatile long writtenGeneration;
        /**
         * The node's data version after this advertisement's last write: a snapshot at that version or before shows
         * our own data (or older), never someone else's.
         */
        volatile int ownVersion;

        volatile @Nullable Disposable worker;

        Ad(String prefix, byte[] data) {
            this.prefix = prefix;
            this.data = data;
        }

        void start() {
            Flux<Boolean> passes = Flux.<Boolean>create(sink -> triggers = sink, FluxSink.OverflowStrategy.LATEST)
                    .concatMap(tick -> reconcile().retryWhen(retryTransient()).onErrorResume(this::failed), 1)
                    .takeUntil(finished -> finished);
            worker = passes.subscribe(finished -> settle(), this::workerFailed);
            trigger();
        }

        private void workerFailed(Throwable error) {
            log.error("{}: advertisement {} stopped", container, prefix, error);
            end();
        }

        void trigger() {
            FluxSink<Boolean> sink = triggers;
            if (sink != null) {
                sink.next(Boolean.TRUE);
            }
        }

        /** For the CONNECTED subscription, which must outlive any one advertisement's trouble. */
        void triggerSafely() {
            try {
                trigger();
            } catch (RuntimeException e) {
                log.warn("{}: cannot re-run advertisement {}", container, prefix, e);
            }
        }

        void stop() {
            withdrawn = true;
            Disposable current = worker;
            if (current != null) {
                current.dispose();
            }
            end();
        }

        /** A waiter for {@code want}, registered before the trigger that serves it. */
        Mono<Void> await(Want want, long wantedGeneration) {
            Waiter waiter = new Waiter(want, wantedGeneration, Sinks.empty());
            waiters.add(waiter);
            if (ended) {
                settle();
            }
            return waiter.done().asMono();
        }

        /** Completes the waiters whose request is on the server; fails the rest if the advertisement is over. */
        private void settle() {
            for (Waiter waiter : waiters) {
                boolean done = switch (waiter.want()) {
                    case PLACED -> node != null;
                    case WRITTEN -> writtenGeneration >= waiter.generation();
                    case GONE -> ended;
                };
                if (done) {
                    finish(waiter, null);
                } else if (ended) {
                    finish(
                            waiter,
                            new ClientClosedException("advertisement " + prefix + " was withdrawn, or its container"
                                    + " closed, before "
                                    + (waiter.want() == Want.PLACED
                                            ? "its node was created"
                                            : "the update was written")));
                }
            }
        }

        private void finish(Waiter waiter, @Nullable Throwable error) {
            if (!waiters.remove(waiter)) {
                return; // settled by another thread
            }
            Sinks.EmitResult result =
                    error == null ? waiter.done().tryEmitEmpty() : waiter.done().tryEmitError(error);
            if (result.isFailure()) {
                log.debug("{}: advertisement {}: a waiter was already done ({})", container, prefix, result);
            }
        }

        private void end() {
            ended = true;
            node = null;
            repairs.dispose();
            Sinks.EmitResult result = nodes.tryEmitComplete();
            if (result.isFailure() && result != Sinks.EmitResult.FAIL_TERMINATED) {
                log.warn("{}: advertisement {}: cannot complete its node stream ({})", container, prefix, result);
            }
            settle();
        }

        private Retry retryTransient() {
            return Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF)
                    .maxBackoff(MAX_BACKOFF)
                    .filter(error -> !session.isClosed() && Errors.isTransient(error))
                    .doBeforeRetry(signal -> log.debug(
                            "{}: advertisement {} will retry: {}",
                            container,
                            prefix,
                            signal.failure().toString()));
        }

        /** A pass failed for good: its waiters fail, and nothing retries until the next trigger. */
        private Mono<Boolean> failed(Throwable error) {
            if (session.isClosed() || ended) {
                end();
                return Mono.just(true);
            }
            log.warn(
                    "{}: advertisement {} failed: {}; not retried until the next connection, update or repair",
                    container,
                    prefix,
                    error.toString());
            for (Waiter waiter : waiters) {
                finish(waiter, error);
            }
            if (!everPlaced && !withdrawn) {
                // Nothing of it ever reached the server: forget it, so that nothing is left to withdraw.
                byPath.remove(prefix, this);
                end();
                return Mono.just(true);
            }
            return Mono.just(false);
        }

        /** One pass; emits {@code true} when the advertisement is withdrawn and its node gone. */
        private Mono<Boolean> reconcile() {
            return Mono.defer(() -> session.connected().flatMap(zk -> withdrawn ? remove(zk) : place(zk)));
        }

        private Mono<Boolean> place(ZooKeeper zk) {
            long sessionId = zk.getSessionId();
            String current = node;
            long wanted = generation.get();
            byte[] bytes = data;
            if (current != null && nodeOwner == sessionId) {
                if (writtenGeneration >= wanted) {
                    return Mono.just(false);
                }
                return Calls.setData(zk, current, bytes, -1)
                        .doOnNext(stat -> {
                            ownVersion = stat.getVersion();
                            markWritten(wanted);
                        })
                        .thenReturn(false)
                        .onErrorResume(NodeException.NoNodeException.class, deleted -> {
                            log.warn(
                                    "{}: advertisement node {} was deleted by someone; re-creating",
                                    container,
                                    current);
                            node = null;
                            return place(zk);
                        });
            }
            if (current != null) {
                formerOwners.add(nodeOwner);
                formerNodes.add(current);
                node = null;
            }
            return writes.findOwnSequential(zk, prefix, Optional.empty())
                    .flatMap(own ->
                            Calls.setData(zk, own.path(), bytes, -1).map(stat -> new Calls.Created(own.path(), stat)))
                    .switchIfEmpty(Mono.defer(() -> leftovers(zk, sessionId)
                            .flatMap(old -> old.isEmpty() ? create(zk, bytes) : replace(zk, old, bytes))))
                    .flatMap(created -> {
                        placed(created.path(), created.stat().getVersion(), sessionId, wanted);
                        // Leftovers that appeared after the swap (a create whose reply was lost, adopted above).
                        return removeLeftovers(zk, sessionId);
                    })
                    .thenReturn(false);
        }

        private void placed(String path, int version, long sessionId, long wanted) {
            if (everPlaced) {
                onRewritten.run();
            }
            ownVersion = version;
            writes.created(path, sessionId);
            node = path;
            nodeOwner = sessionId;
            everPlaced = true;
            markWritten(wanted);
            nodes.emitNext(relativize.apply(path), SPIN);
            Disposable watch = watches.data(path).subscribe(snapshot -> checkNode(path, snapshot), this::repairFailed);
            repairs.update(watch);
            log.info("{}: advertised {} (session 0x{})", container, path, Long.toHexString(sessionId));
        }

        /** A change of the node: if someone else deleted or overwrote it, the worker puts it back. */
        private void checkNode(String path, NodeSnapshot snapshot) {
            if (withdrawn || ended || !path.equals(node)) {
                return;
            }
            // A snapshot at our own last version (or before: a read that overtook our write) is not a change by
            // someone else, even if its data is older than what an update in flight writes.
            boolean foreign = !snapshot.exists()
                    || (snapshot.stat().getVersion() > ownVersion && !Arrays.equals(snapshot.data(), data));
            if (foreign) {
                log.warn(
                        "{}: advertisement node {} was {} by someone else; repairing",
                        container,
                        path,
                        snapshot.exists() ? "overwritten" : "deleted");
                generation.incrementAndGet();
                triggerSafely();
            }
        }

        private void repairFailed(Throwable error) {
            log.debug("{}: advertisement {}: its node is no longer watched: {}", container, prefix, error.toString());
        }

        private Mono<Calls.Created> create(ZooKeeper zk, byte[] bytes) {
            Mono<Calls.Created> create = Calls.create(zk, prefix, bytes, acl, CreateMode.EPHEMERAL_SEQUENTIAL, -1);
            return create.onErrorResume(
                    NodeException.NoNodeException.class,
                    missingParent -> Writes.createParents(zk, prefix, acl, CreateMode.PERSISTENT)
                            .then(create));
        }

        /**
         * Deletes the nodes that earlier sessions left and creates the new one in one transaction: a reader sees the
         * old node or the new one, never both and never none. If a leftover went meanwhile (its session expired), the
         * transaction changes nothing and a plain create follows.
         */
        private Mono<Calls.Created> replace(ZooKeeper zk, List<String> leftovers, byte[] bytes) {
            List<Op> ops = new ArrayList<>();
            List<Integer> versions = new ArrayList<>();
            for (String leftover : leftovers) {
                ops.add(Op.delete(leftover, -1));
                versions.add(-1);
            }
            ops.add(Op.create(prefix, bytes, acl, CreateMode.EPHEMERAL_SEQUENTIAL));
            versions.add(-1);
            return Calls.multi(zk, ops, versions)
                    .map(results -> {
                        OpResult.CreateResult result = (OpResult.CreateResult) results.get(results.size() - 1);
                        leftovers.forEach(leftover -> log.info(
                                "{}: replaced {}, left by an earlier session, with {}",
                                container,
                                leftover,
                                result.getPath()));
                        Stat stat = result.getStat();
                        return new Calls.Created(result.getPath(), stat == null ? new Stat() : stat);
                    })
                    .onErrorResume(NodeException.NoNodeException.class, gone -> create(zk, bytes));
        }

        /**
         * Nodes of this advertisement that earlier sessions left and the server has not yet removed: the nodes it had
         * then, each checked with one request (not the parent's listing and a read of every sibling, which made an
         * ensemble-wide session loss cost M² requests for M advertisers). A node an earlier session created without
         * learning it (a lost reply) is not found; the server removes it when that session expires.
         */
        private Mono<List<String>> leftovers(ZooKeeper zk, long sessionId) {
            if (formerNodes.isEmpty()) {
                return Mono.just(List.of());
            }
            return Flux.fromIterable(List.copyOf(formerNodes))
                    .concatMap(path -> Calls.exists(zk, path)
                            .switchIfEmpty(Mono.fromRunnable(() -> formerNodes.remove(path)))
                            .filter(stat -> stat.getEphemeralOwner() != sessionId
                                    && formerOwners.contains(stat.getEphemeralOwner()))
                            .map(stat -> path))
                    .collectList();
        }

        private Mono<Void> removeLeftovers(ZooKeeper zk, long sessionId) {
            return leftovers(zk, sessionId)
                    .flatMapMany(Flux::fromIterable)
                    .concatMap(path -> {
                        log.info("{}: deleting {}, left by an earlier session", container, path);
                        return Calls.delete(zk, path, -1)
                                .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty());
                    })
                    .then();
        }

        private Mono<Boolean> remove(ZooKeeper zk) {
            repairs.dispose();
            String current = node;
            Mono<Void> deleteKnown = current == null
                    ? Mono.empty()
                    : Calls.delete(zk, current, -1)
                            .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty())
                            .doOnSuccess(done -> writes.deleted(current));
            // A create whose reply was lost may have left a node only the server knows about.
            Mono<Void> deleteUnknown = writes.findOwnSequential(zk, prefix, Optional.empty())
                    .flatMap(own -> Calls.delete(zk, own.path(), -1).doOnSuccess(done -> writes.deleted(own.path())))
                    .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty());
            return deleteKnown.then(deleteUnknown).then(Mono.fromCallable(() -> {
                log.info("{}: withdrew advertisement {}", container, prefix);
                byPath.remove(prefix, this);
                end();
                return true;
            }));
        }

        private void markWritten(long generationWritten) {
            writtenGeneration = Math.max(writtenGeneration, generationWritten);
        }

        Mono<Void> replace(byte[] bytes) {
            return Mono.defer(() -> {
                if (withdrawn) {
                    return Mono.error(new ClientClosedException("advertisement " + prefix + " is withdrawn"));
                }
                data = bytes;
                long wanted = generation.incrementAndGet();
                Mono<Void> written = await(Want.WRITTEN, wanted);
                trigger();
                return written;
            });
        }

        @Override
        public String path() {
            return relativize.apply(prefix);
        }

        @Override
        public Optional<String> node() {
            String current = node;
            return current == null ? Optional.empty() : Optional.of(relativize.apply(current));
        }

        @Override
        public Flux<String> nodes() {
            // A completed replay sink would still replay the last node; an ended advertisement has none.
            return Flux.defer(() -> ended ? Flux.empty() : nodes.asFlux());
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public Mono<Void> update(Object value) {
            return replace(payloads.encodeAdvertisement(value, prefix));
        }

        @Override
        public Mono<Void> withdraw() {
            return Mono.defer(() -> {
                withdrawn = true;
                Mono<Void> gone = await(Want.GONE, 0);
                trigger();
                return gone;
            });
        }

        @Override
        public String toString() {
            return "Advertisement[" + prefix + " -> " + node + "]";
        }
    }
}
