package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * The server refused the request for now because it is throttling requests (ZooKeeper's {@code THROTTLEDOP}: too many
 * requests in flight on the server). Nothing was applied. Transient: the operation is retried with backoff, as
 * ZooKeeper's documentation advises, before this reaches you.
 */
public class ThrottledException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the operation and its path
     * @param cause ZooKeeper's own exception, if any
     */
    public ThrottledException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
