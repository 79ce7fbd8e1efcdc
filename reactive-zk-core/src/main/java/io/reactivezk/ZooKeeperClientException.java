package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * The root of every failure that reactive-zk reports through {@code onError}.
 *
 * <p>Subclasses say what went wrong: the connection or an operation timed out, the session expired, a node was
 * missing or in the way, or data could not be encoded or decoded. {@link #isTransient()} tells whether retrying the
 * same operation later may succeed.
 *
 * <p>The rule for bad arguments, everywhere: they are thrown when the method is called, before anything is sent, and
 * never reach {@code onError}: {@link NullPointerException} for a {@code null}, and otherwise an
 * {@link IllegalArgumentException} or a subclass of it ({@link ZooKeeperConfigurationException},
 * {@link PayloadTooLargeException}) naming the bad input: an invalid path, data that cannot be encoded or is of a kind
 * that is almost always a mistake, an empty ACL, a timeout that is not positive. What only the server or the session
 * can tell (a missing node, a version conflict, a node that does not hold JSON, a closed container) arrives through
 * {@code onError} as a subclass of this class.
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
