package io.reactivezk;

import org.apache.zookeeper.KeeperException;
import org.jspecify.annotations.Nullable;

/**
 * ZooKeeper refused an operation on a node: it exists or does not, has children, has another version, or the client
 * lacks the permission. {@link #code()} is ZooKeeper's reason and {@link #path()} the node, as an absolute path on the
 * server. Common reasons have their own subclasses.
 */
public class NodeException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /** ZooKeeper's result code. */
    private final KeeperException.Code code;
    /** The absolute path of the node. */
    private final String path;

    /**
     * Creates the exception.
     *
     * @param message the reason, naming the path
     * @param code ZooKeeper's result code
     * @param path the absolute path of the node
     * @param cause ZooKeeper's own exception, if any
     */
    public NodeException(String message, KeeperException.Code code, String path, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
        this.path = path;
    }

    /**
     * ZooKeeper's result code for the failure.
     *
     * @return the code, such as {@code NONODE} or {@code BADVERSION}
     */
    public KeeperException.Code code() {
        return code;
    }

    /**
     * The node the operation was about.
     *
     * @return its absolute path on the server
     */
    public String path() {
        return path;
    }

    /** The node (or, for a create, its parent) does not exist. */
    public static class NoNodeException extends NodeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message the reason, naming the path
         * @param path the absolute path
         * @param cause ZooKeeper's own exception, if any
         */
        public NoNodeException(String message, String path, @Nullable Throwable cause) {
            super(message, KeeperException.Code.NONODE, path, cause);
        }
    }

    /** A create found the node already there. */
    public static class NodeExistsException extends NodeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message the reason, naming the path
         * @param path the absolute path
         * @param cause ZooKeeper's own exception, if any
         */
        public NodeExistsException(String message, String path, @Nullable Throwable cause) {
            super(message, KeeperException.Code.NODEEXISTS, path, cause);
        }
    }

    /** A delete found children under the node. */
    public static class NotEmptyException extends NodeException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message the reason, naming the path
         * @param path the absolute path
         * @param cause ZooKeeper's own exception, if any
         */
        public NotEmptyException(String message, String path, @Nullable Throwable cause) {
            super(message, KeeperException.Code.NOTEMPTY, path, cause);
        }
    }

    /** A versioned write found the node at another version. */
    public static class BadVersionException extends NodeException {
        private static final long serialVersionUID = 1L;

        /** The version the write expected. */
        private final int expectedVersion;

        /**
         * Creates the exception.
         *
         * @param message the reason, naming the path and the expected version
         * @param path the absolute path
         * @param expectedVersion the version the write expected
         * @param cause ZooKeeper's own exception, if any
         */
        public BadVersionException(String message, String path, int expectedVersion, @Nullable Throwable cause) {
            super(message, KeeperException.Code.BADVERSION, path, cause);
            this.expectedVersion = expectedVersion;
        }

        /**
         * The version the write expected.
         *
         * @return the expected version
         */
        public int expectedVersion() {
            return expectedVersion;
        }
    }
}
