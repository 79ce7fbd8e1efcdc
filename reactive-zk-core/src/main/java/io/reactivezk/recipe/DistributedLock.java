package io.reactivezk.recipe;

import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.CreateOptions;
import io.reactivezk.ZooKeeperContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.zookeeper.CreateMode;
import reactor.core.publisher.Mono;

/**
 * A mutual-exclusion lock in ZooKeeper's classic form, waiting without a thread: each contender creates an
 * ephemeral sequential node {@code <lock>/lock-<n>}; the lowest number holds the lock, and every other contender
 * watches only the node just before its own, so a release wakes exactly one waiter.
 *
 * <pre>{@code
 * DistributedLock locks = DistributedLock.of(zk);
 * locks.withLock("locks/report", Mono.defer(() -> writeReport()))      // released on success, error or cancel
 *         .timeout(Duration.ofSeconds(30));                            // gives up waiting, deleting its node
 * }</pre>
 *
 * <p>What it promises: while a {@link Lease} is held and its session lives, no other lease of the same lock is held.
 * What it cannot: that the holder knows at once when its session ends (a partition or a long pause can end it while
 * the holder still runs), so a holder whose work touches shared state should {@linkplain Lease#guard fence} its
 * ZooKeeper writes and watch {@link Lease#lost()}.
 */
public final class DistributedLock {

    private static final String PREFIX = "lock-";

    private final ZooKeeperContainer zk;

    private DistributedLock(ZooKeeperContainer zk) {
        this.zk = zk;
    }

    /**
     * Locks under a container's root.
     *
     * @param zk the container
     * @return the locks
     */
    public static DistributedLock of(ZooKeeperContainer zk) {
        return new DistributedLock(Objects.requireNonNull(zk, "container must not be null"));
    }

    /**
     * Waits for the lock, without blocking a thread. Cancelling (for example by {@code .timeout(...)}) before the lock
     * is held deletes this contender's node. A new session while waiting queues again with a new node (the old one
     * went with the old session).
     *
     * @param lock the lock's node, relative to the container's root; created with its parents if missing
     * @return the lease, once held
     * @throws IllegalArgumentException if the path is invalid
     */
    public Mono<Lease> acquire(String lock) {
        Objects.requireNonNull(lock, "lock must not be null");
        zk.resolvePath(lock);
        return Mono.usingWhen(
                Mono.fromSupplier(() -> new Contender(lock)),
                Contender::await,
                contender -> Mono.empty(),
                (contender, error) -> contender.abandon(),
                Contender::abandon);
    }

    /**
     * Runs work while holding the lock: acquires it, subscribes to the work, and releases the lock when the work
     * completes, fails or is cancelled.
     *
     * @param lock the lock's node, relative to the container's root
     * @param work the work; subscribed once the lock is held (make it lazy, with {@code Mono.defer}, if it does
     *     anything before subscription)
     * @param <T> the work's result
     * @return the work's result
     */
    public <T> Mono<T> withLock(String lock, Mono<T> work) {
        Objects.requireNonNull(work, "work must not be null");
        return withLock(lock, () -> work);
    }

    /**
     * Runs the work a supplier makes once the lock is held; see {@link #withLock(String, Mono)}.
     *
     * @param lock the lock's node, relative to the container's root
     * @param work makes the work, called once the lock is held
     * @param <T> the work's result
     * @return the work's result
     */
    public <T> Mono<T> withLock(String lock, Supplier<Mono<T>> work) {
        Objects.requireNonNull(work, "work must not be null");
        return Mono.usingWhen(
                acquire(lock), lease -> work.get(), Lease::release, (lease, error) -> lease.release(), Lease::release);
    }

    /** One waiting contender; its node is created once per session. */
    private final class Contender {

        private final String lock;
        private final InFlight creates = new InFlight();
        private volatile String node;
        private volatile long session;

        Contender(String lock) {
            this.lock = lock;
        }

        Mono<Lease> await() {
            return Mono.defer(() -> {
                ConnectionEvent now = zk.connectionEvent();
                if (now.state() != ConnectionState.CONNECTED) {
                    return zk.connectionEvents()
                            .filter(event -> event.state() == ConnectionState.CONNECTED)
                            .next()
                            .then(Mono.defer(this::await));
                }
                if (node != null && session == now.sessionId()) {
                    return evaluate(now.sessionId());
                }
                long current = now.sessionId();
                return creates.run(zk.create(
                                        lock + "/" + PREFIX,
                                        new byte[0],
                                        CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL)
                                                .withParents())
                                .doOnNext(created -> {
                                    node = created;
                                    session = current;
                                }))
                        .then(Mono.defer(() -> evaluate(current)));
            });
        }

        private Mono<Lease> evaluate(long current) {
            String own = node;
            String name = own.substring(own.lastIndexOf('/') + 1);
            return zk.getChildren(lock).flatMap(children -> {
                List<String> queue = new ArrayList<>();
                for (String child : children) {
                    if (child.startsWith(PREFIX)) {
                        queue.add(child);
                    }
                }
                queue.sort(Comparator.comparing(child -> child.substring(PREFIX.length())));
                int index = queue.indexOf(name);
                if (index < 0 || zk.connectionEvent().sessionId() != current) {
                    node = null; // our node went with its session, or someone deleted it: queue again
                    return await();
                }
                if (index == 0) {
                    return zk.exists(own)
                            .map(stat -> new Lease(zk, lock, own, current, stat.getCzxid(), stat.getVersion()))
                            .switchIfEmpty(Mono.defer(() -> {
                                node = null;
                                return await();
                            }));
                }
                String predecessor = lock + "/" + queue.get(index - 1);
                Mono<Object> predecessorGone = Nodes.gone(zk, predecessor).cast(Object.class);
                // A new session means our node is gone too: queue again rather than wait for the predecessor.
                Mono<Object> newSession = zk.connectionEvents()
                        .filter(event -> event.sessionId() != current && event.state() == ConnectionState.CONNECTED)
                        .next()
                        .cast(Object.class);
                return Mono.firstWithSignal(predecessorGone, newSession).then(Mono.defer(() -> evaluate(current)));
            });
        }

        /** Deletes this contender's node (once any create in flight has landed), if it is still this session's. */
        Mono<Void> abandon() {
            return creates.settled()
                    .then(Mono.defer(() -> {
                        String own = node;
                        if (own == null || zk.connectionEvent().sessionId() != session) {
                            return Mono.<Void>empty();
                        }
                        return zk.delete(own);
                    }))
                    .onErrorResume(e -> Mono.empty());
        }
    }
}
