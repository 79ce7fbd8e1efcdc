package io.reactivezk.recipe;

import io.reactivezk.ConnectionState;
import io.reactivezk.Transaction;
import io.reactivezk.ZooKeeperContainer;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * A held {@link DistributedLock}: its node, the session that holds it, and how to give it back.
 *
 * <p>A lease is valid while its node exists, which ZooKeeper guarantees for as long as the session that created it
 * lives. Code that acts under the lock should {@linkplain #guard(Transaction) fence} its writes: a lease can be lost
 * (the session expires during a long pause) before the holder notices, and a fenced write is then refused by the
 * server instead of being applied beside the next holder's.
 */
public final class Lease {

    private final ZooKeeperContainer zk;
    private final String lock;
    private final String node;
    private final long sessionId;
    private final long token;
    private final int version;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Mono<Void> release;

    Lease(ZooKeeperContainer zk, String lock, String node, long sessionId, long token, int version) {
        this.zk = zk;
        this.lock = lock;
        this.node = node;
        this.sessionId = sessionId;
        this.token = token;
        this.version = version;
        this.release = zk.delete(node, version)
                .onErrorResume(io.reactivezk.NodeException.NoNodeException.class, e -> Mono.empty())
                .cache();
    }

    /**
     * The lock's path.
     *
     * @return the lock node, relative to the container's root
     */
    public String lock() {
        return lock;
    }

    /**
     * The node that holds the lock.
     *
     * @return the ephemeral sequential node, relative to the container's root
     */
    public String node() {
        return node;
    }

    /**
     * The session that holds the lock.
     *
     * @return the ZooKeeper session id
     */
    public long sessionId() {
        return sessionId;
    }

    /**
     * A fencing token: the lock node's creation zxid. Each later lease of the same lock has a greater one, so a
     * resource that records the highest token it has seen can refuse a stale holder.
     *
     * @return the czxid
     */
    public long token() {
        return token;
    }

    /**
     * Gives the lock back by deleting its node. Idempotent and safe from any thread; later calls return the first
     * call's outcome. A lease whose session is already gone completes too (the node went with it).
     *
     * @return completes when the node is deleted
     */
    public Mono<Void> release() {
        return Mono.defer(() -> {
            released.set(true);
            return release;
        });
    }

    /**
     * Completes when this lease is lost: its session ended (the container moved to a new session or was closed) or
     * its node was deleted by anyone but {@link #release()}.
     *
     * @return completes once, when lost; never fails
     */
    public Mono<Void> lost() {
        Mono<Void> sessionGone = zk.connectionEvents()
                .filter(event -> event.state() == ConnectionState.LOST || event.sessionId() != sessionId)
                .next()
                .then();
        Mono<Void> nodeGone = Nodes.gone(zk, node);
        return Mono.firstWithSignal(sessionGone, nodeGone).onErrorResume(e -> Mono.empty());
    }

    /**
     * Whether {@link #release()} has been called.
     *
     * @return whether released
     */
    public boolean isReleased() {
        return released.get();
    }

    /**
     * Adds a check of the lock node to a transaction, so that the transaction fails on the server if the lease has
     * been lost by the time the server applies it.
     *
     * @param transaction a transaction of the container that holds the lease
     * @return the same transaction, for chaining
     */
    public Transaction guard(Transaction transaction) {
        return transaction.check(node, version);
    }

    @Override
    public String toString() {
        return "Lease{" + node + ", session 0x" + Long.toHexString(sessionId) + (released.get() ? ", released" : "")
                + "}";
    }
}
