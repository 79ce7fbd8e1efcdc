package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * A write reached a server in read-only mode (ZooKeeper's {@code NOTREADONLY}): the container is connected
 * read-only ({@link ConnectionEvent#readOnly()}), which happens only with {@link ZooKeeperOptions#canBeReadOnly()},
 * while the server has no quorum. Nothing was applied. Not a node problem and not retried on the same connection:
 * write again once the container is CONNECTED read-write.
 */
public class ReadOnlyServerException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /** The absolute path of the refused write. */
    private final String path;

    /**
     * Creates the exception.
     *
     * @param message the operation and its path
     * @param path the absolute path of the write
     * @param cause ZooKeeper's own exception, if any
     */
    public ReadOnlyServerException(String message, String path, @Nullable Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /**
     * The path of the refused write.
     *
     * @return the absolute path on the server
     */
    public String path() {
        return path;
    }
}
