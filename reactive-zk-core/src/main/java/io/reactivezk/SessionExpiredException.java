package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * The session an operation ran in expired. The container opens a new session by itself; operations that do not
 * depend on the old session (reads, versioned writes) are retried in it before this reaches you.
 */
public class SessionExpiredException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was in flight, naming the path
     * @param cause ZooKeeper's own exception, if any
     */
    public SessionExpiredException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
