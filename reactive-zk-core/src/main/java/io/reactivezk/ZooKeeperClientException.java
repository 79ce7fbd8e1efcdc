package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * The root of every failure that reactive-zk reports through {@code onError}.
 *
 * <p>Subclasses say what went wrong: the connection or an operation timed out, the session expired, a node was
 * missing or in the way, or data could not be encoded or decoded. {@link #isTransient()} tells whether retrying the
 * same operation later may succeed. Bad arguments are not reported this way: they throw
 * {@link IllegalArgumentException} (or {@link ZooKeeperConfigurationException}) when the method is called.
 */
public class ZooKeeperClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and an optional cause.
     *
     * @param message what went wrong, naming the path or connect string involved
     * @param cause the underlying failure, if any
     */
    public ZooKeeperClientException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception with a message only.
     *
     * @param message what went wrong, naming the path or connect string involved
     */
    public ZooKeeperClientException(String message) {
        super(message);
    }

    /**
     * Whether the same operation may succeed if retried later (for example after a lost connection comes back).
     *
     * @return {@code true} for transient failures; {@code false} by default
     */
    public boolean isTransient() {
        return false;
    }
}
