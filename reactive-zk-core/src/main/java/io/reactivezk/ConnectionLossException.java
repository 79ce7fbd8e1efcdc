package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * The connection to ZooKeeper broke while an operation was in flight, so its outcome is unknown. Transient: the client
 * reconnects by itself, and idempotent operations are retried before this reaches you.
 */
public class ConnectionLossException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was in flight, naming the path
     * @param cause ZooKeeper's own exception, if any
     */
    public ConnectionLossException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
