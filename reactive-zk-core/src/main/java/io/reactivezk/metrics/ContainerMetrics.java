package io.reactivezk.metrics;

/** What one container reports; called from ZooKeeper's event thread and others, so implementations never block. */
public interface ContainerMetrics {

    /** The outcome of an operation, as the {@code outcome} tag of its timer. */
    enum Outcome {
        /** It succeeded (an empty result, such as a missing node's data, is a success). */
        SUCCESS,
        /** The server refused it for the node's state: NONODE, NODEEXISTS, BADVERSION, NOTEMPTY, NOAUTH, ... */
        NODE_ERROR,
        /** It ran out of its operation timeout. */
        TIMEOUT,
        /** The connection or the session was lost and it could not be retried. */
        CONNECTION_LOSS,
        /** Any other failure: bad input found late, a closed container, a codec error. */
        ERROR,
        /** The subscriber cancelled it before it finished. */
        CANCELLED
    }

    /**
     * An operation finished.
     *
     * @param operation its name, such as {@code getData}
     * @param nanos how long it took, from subscription
     * @param outcome how it ended
     */
    void operation(String operation, long nanos, Outcome outcome);

    /**
     * An operation is being retried after a transient failure.
     *
     * @param operation its name
     */
    void retry(String operation);

    /** The connection was lost (the container went from CONNECTED to SUSPENDED). */
    void connectionLoss();

    /** The session was lost and a new one established (an expiry, as the container saw it). */
    void sessionExpiry();

    /** An advertisement was written again, in a new session or after someone deleted its node. */
    void readvertisement();

    /** The container closed: gauges should stop reading it. */
    void close();
}
