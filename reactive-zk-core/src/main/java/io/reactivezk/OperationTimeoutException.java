package io.reactivezk;

import java.time.Duration;

/**
 * An operation did not complete within the operation timeout, typically because the container stayed
 * {@link ConnectionState#SUSPENDED} or {@link ConnectionState#LOST} (no server reachable, no quorum) all that time.
 * Transient: it may succeed once the connection is back.
 */
public class OperationTimeoutException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /** The operation timeout that passed. */
    private final Duration timeout;

    /**
     * Creates the exception.
     *
     * @param message the operation, its path, the timeout and the connection state when it expired
     * @param timeout the operation timeout that elapsed
     */
    public OperationTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /**
     * The operation timeout that elapsed.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
