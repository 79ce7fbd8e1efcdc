package io.reactivezk.internal;

import io.reactivezk.Advertisement;
import io.reactivezk.ClientClosedException;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.CreateOptions;
import io.reactivezk.NodeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * A container's advertisements. Each one has its own serialised worker that brings the server to the wanted state:
 * exactly one node, owned by the current session, holding the latest data; or, once withdrawn, none. The worker runs
 * whenever something may have changed that state: creation, {@code update}, {@code withdraw}, and every CONNECTED
 * event (a new session needs a new node; a same-session reconnect finds everything in place and does nothing).
 * Triggers that arrive while it works are coalesced into one more pass. A failing advertisement retries on its own,
 * with backoff, without holding up the others.
 */
final class Advertisements {

    private static final Logger log = LoggerFactory.getLogger(Advertisements.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Sinks.EmitFailureHandler SPIN = Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1));

    private final String container;
    private final Session session;
    private final Payloads payloads;
    private final Function<String, String> relativize;
    private final Map<String, Ad> byPath = new ConcurrentHashMap<>();
    private final Disposable connections;

    Advertisements(String container, Session session, Payloads payloads, Function<String, String> relativize) {
        this.container = container;
        this.session = session;
        this.payloads = payloads;
        this.relativize = relativize;
        Flux<ConnectionEvent> connected = session.events().filter(e -> e.state() == ConnectionState.CONNECTED);
        this.connections = connected.subscribe(event -> byPath.values().forEach(Ad::trigger));
    }

    /** Registers (or updates) the advertisement at {@code prefix} when subscribed; emits it once its node exists. */
    Mono<Advertisement> advertise(String prefix, byte[] data) {
        return Mono.defer(() -> {
            if (session.isClosed()) {
                return Mono.error(session.closedError());
            }
            Ad[] created = new Ad[1];
            Ad ad = byPath.computeIfAbsent(prefix, key -> created[0] = new Ad(key, data));
            if (created[0] == null) {
                return ad.replace(data).thenReturn(ad);
            }
            ad.start();
            return ad.nodes
                    .asFlux()
                    .next()
                    .switchIfEmpty(Mono.error(() -> new ClientClosedException("advertisement " + prefix
                            + " was withdrawn, or its container closed, before its node was created")))
                    .thenReturn(ad);
        });
    }

    /** Stops every worker; the session's close then removes the nodes with it. */
    void close() {
        connections.dispose();
        for (Ad ad : byPath.values()) {
            ad.stop();
        }
        byPath.clear();
    }

    /** One advertisement and its worker. */
    private final class Ad implements Advertisement {
        final String prefix;
        final Sinks.Many<String> nodes = Sinks.many().replay().latest();
        final Sinks.Many<Long> written = Sinks.many().replay().latest();
        final Sinks.Empty<Void> gone = Sinks.empty();
        final Sinks.Many<Boolean> triggers = Sinks.many().unicast().onBackpressureBuffer();
        final AtomicLong generation = new AtomicLong(1);
        /** Sessions that owned a node of this advertisement before the current one; their leftovers are deleted. */
        final Set<Long> formerOwners = ConcurrentHashMap.newKeySet();

        volatile byte[] data;
        volatile boolean withdrawn;
        /** Set once the advertisement is over (withdrawn and deleted, or its container closed). */
        volatile boolean ended;

        volatile @Nullable String node;
        volatile long nodeOwner;
        volatile long writtenGeneration;
        volatile @Nullable Disposable worker;

        Ad(String prefix, byte[] data) {
            this.prefix = prefix;
            this.data = data;
        }

        void start() {
            Flux<Boolean> passes = triggers.asFlux()
                    .onBackpressureLatest()
                    .concatMap(tick -> reconcile().retryWhen(retryForever()), 1)
                    .takeUntil(finished -> finished);
            worker = passes.subscribe(null, this::workerFailed);
            trigger();
        }

        private void workerFailed(Throwable error) {
            log.error("{}: advertisement {} stopped", container, prefix, error);
        }

        void trigger() {
            triggers.emitNext(Boolean.TRUE, SPIN);
        }

        void stop() {
            withdrawn = true;
            Disposable current = worker;
            if (current != null) {
                current.dispose();
            }
            end();
        }

        private void end() {
            ended = true;
            node = null;
            nodes.tryEmitComplete();
            written.tryEmitComplete();
            gone.tryEmitEmpty();
        }

        private Retry retryForever() {
            return Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF)
                    .maxBackoff(MAX_BACKOFF)
                    .filter(error -> !session.isClosed())
                    .doBeforeRetry(signal -> {
                        if (Errors.isTransient(signal.failure())) {
                            log.debug(
                                    "{}: advertisement {} will retry: {}",
                                    container,
                                    prefix,
                                    signal.failure().toString());
                        } else {
                            log.warn(
                                    "{}: advertisement {} failed, retrying: {}",
                                    container,
                                    prefix,
                                    signal.failure().toString());
                        }
                    });
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
                        .doOnNext(stat -> markWritten(wanted))
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
                node = null;
            }
            return Writes.findOwnSequential(zk, prefix, Optional.empty())
                    .flatMap(own -> Calls.setData(zk, own.path(), bytes, -1).thenReturn(own))
                    .switchIfEmpty(Mono.defer(() -> create(zk, bytes)))
                    .flatMap(created -> {
                        node = created.path();
                        nodeOwner = sessionId;
                        markWritten(wanted);
                        nodes.emitNext(relativize.apply(created.path()), SPIN);
                        log.info(
                                "{}: advertised {} (session 0x{})",
                                container,
                                created.path(),
                                Long.toHexString(sessionId));
                        return removeLeftovers(zk, sessionId);
                    })
                    .thenReturn(false);
        }

        private Mono<Calls.Created> create(ZooKeeper zk, byte[] bytes) {
            Mono<Calls.Created> create =
                    Calls.create(zk, prefix, bytes, CreateOptions.DEFAULT_ACL, CreateMode.EPHEMERAL_SEQUENTIAL, -1);
            return create.onErrorResume(
                    NodeException.NoNodeException.class,
                    missingParent -> Writes.createParents(zk, prefix, CreateOptions.DEFAULT_ACL, CreateMode.PERSISTENT)
                            .then(create));
        }

        /** Deletes nodes of this advertisement that earlier sessions left and the server has not yet removed. */
        private Mono<Void> removeLeftovers(ZooKeeper zk, long sessionId) {
            if (formerOwners.isEmpty()) {
                return Mono.empty();
            }
            String parent = ZkPaths.parent(prefix);
            String namePrefix = ZkPaths.name(prefix);
            return Calls.getChildren(zk, parent)
                    .flatMapMany(Flux::fromIterable)
                    .filter(name -> Writes.isSequentialOf(name, namePrefix))
                    .map(name -> ZkPaths.child(parent, name))
                    .concatMap(path -> Calls.exists(zk, path)
                            .filter(stat -> stat.getEphemeralOwner() != sessionId
                                    && formerOwners.contains(stat.getEphemeralOwner()))
                            .flatMap(stat -> {
                                log.info(
                                        "{}: deleting {} left by session 0x{}",
                                        container,
                                        path,
                                        Long.toHexString(stat.getEphemeralOwner()));
                                return Calls.delete(zk, path, -1);
                            }))
                    .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty())
                    .then();
        }

        private Mono<Boolean> remove(ZooKeeper zk) {
            String current = node;
            Mono<Void> deleteKnown = current == null
                    ? Mono.empty()
                    : Calls.delete(zk, current, -1)
                            .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty());
            // A create whose reply was lost may have left a node only the server knows about.
            Mono<Void> deleteUnknown = Writes.findOwnSequential(zk, prefix, Optional.empty())
                    .flatMap(own -> Calls.delete(zk, own.path(), -1))
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
            written.emitNext(writtenGeneration, SPIN);
        }

        Mono<Void> replace(byte[] bytes) {
            return Mono.defer(() -> {
                if (withdrawn) {
                    return Mono.error(new ClientClosedException("advertisement " + prefix + " is withdrawn"));
                }
                data = bytes;
                long wanted = generation.incrementAndGet();
                trigger();
                return written.asFlux()
                        .filter(done -> done >= wanted)
                        .next()
                        .switchIfEmpty(Mono.error(() -> new ClientClosedException(
                                "advertisement " + prefix + " was withdrawn before the update was written")))
                        .then();
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
                trigger();
                return gone.asMono();
            });
        }

        @Override
        public String toString() {
            return "Advertisement[" + prefix + " -> " + node + "]";
        }
    }
}
