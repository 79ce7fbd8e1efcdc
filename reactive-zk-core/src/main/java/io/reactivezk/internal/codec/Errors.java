package io.reactivezk.internal.codec;

import io.reactivezk.ConnectionLossException;
import io.reactivezk.NodeException;
import io.reactivezk.ReadOnlyServerException;
import io.reactivezk.SessionExpiredException;
import io.reactivezk.ThrottledException;
import io.reactivezk.ZooKeeperClientException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.jspecify.annotations.Nullable;

/**
 * The one place where ZooKeeper's result codes become reactive-zk exceptions. Messages name the operation and the
 * absolute path; the ZooKeeper exception is kept as the cause.
 */
public final class Errors {

    private Errors() {}

    /**
     * The exception for a failed operation.
     *
     * @param code ZooKeeper's result code, not {@code OK}
     * @param operation the operation, such as {@code getData}
     * @param path the absolute path on the server
     * @return the matching exception
     */
    public static ZooKeeperClientException of(Code code, String operation, String path) {
        return of(code, operation, path, -1, KeeperException.create(code, path));
    }

    /**
     * The exception for a failed versioned write.
     *
     * @param code ZooKeeper's result code, not {@code OK}
     * @param operation the operation, such as {@code setData}
     * @param path the absolute path on the server
     * @param expectedVersion the version the write expected
     * @return the matching exception
     */
    public static ZooKeeperClientException of(Code code, String operation, String path, int expectedVersion) {
        return of(code, operation, path, expectedVersion, KeeperException.create(code, path));
    }

    /**
     * Translates a {@link KeeperException} thrown by a synchronous call.
     *
     * @param e the exception
     * @param operation what was attempted
     * @return the matching exception, with {@code e} as its cause
     */
    public static ZooKeeperClientException of(KeeperException e, String operation) {
        String path = e.getPath() == null ? "?" : e.getPath();
        return of(e.code(), operation, path, -1, e);
    }

    private static ZooKeeperClientException of(
            Code code, String operation, String path, int expectedVersion, @Nullable Throwable cause) {
        return switch (code) {
            case CONNECTIONLOSS, OPERATIONTIMEOUT ->
                new ConnectionLossException(
                        operation + " " + path + ": connection to ZooKeeper lost before the reply arrived", cause);
            case REQUESTTIMEOUT ->
                // The client closes the connection when a reply is late (zookeeper.request.timeout) and reconnects.
                new ConnectionLossException(
                        operation + " " + path + ": no reply within the client's request timeout"
                                + " (zookeeper.request.timeout); the connection is opened again",
                        cause);
            case SESSIONMOVED ->
                // The session lives; this connection lost it to another server. The request was not applied.
                new ConnectionLossException(
                        operation + " " + path + ": the session moved to another server; not applied", cause);
            case SESSIONEXPIRED -> new SessionExpiredException(operation + " " + path + ": the session expired", cause);
            case THROTTLEDOP ->
                new ThrottledException(
                        operation + " " + path + ": the server is throttling requests (overloaded); not applied",
                        cause);
            case NOTREADONLY ->
                new ReadOnlyServerException(
                        operation + " " + path + ": the server is in read-only mode (no quorum); not applied",
                        path,
                        cause);
            case NONODE ->
                new NodeException.NoNodeException(
                        operation + " " + path + ": no such node (or no parent node, for a create)", path, cause);
            case NODEEXISTS ->
                new NodeException.NodeExistsException(operation + " " + path + ": node already exists", path, cause);
            case NOTEMPTY ->
                new NodeException.NotEmptyException(operation + " " + path + ": node has children", path, cause);
            case BADVERSION ->
                new NodeException.BadVersionException(
                        operation + " " + path + ": node is not at the expected version " + expectedVersion,
                        path,
                        expectedVersion,
                        cause);
            default -> new NodeException(operation + " " + path + " failed: " + describe(code), code, path, cause);
        };
    }

    /**
     * Whether a failure may go away by retrying in the same or the next session.
     *
     * @param error any failure
     * @return {@code true} for transient {@link ZooKeeperClientException}s
     */
    public static boolean isTransient(Throwable error) {
        return error instanceof ZooKeeperClientException e && e.isTransient();
    }

    /**
     * A readable name for a result code.
     *
     * @param code the code
     * @return for example {@code NOAUTH (Not authenticated)}
     */
    public static String describe(Code code) {
        String text = KeeperException.create(code).getMessage();
        return code + (text == null ? "" : " (" + text + ")");
    }
}
