package io.reactivezk.testkit;

/**
 * A real ZooKeeper server (or ensemble member set) that a test can start, stop and restart.
 *
 * <p>Implemented by the in-process {@link EmbeddedZooKeeper} and, where a Docker engine exists, by the
 * Testcontainers-backed {@link ContainerZooKeeper}. Lifecycle methods block the calling thread until the server is
 * serving or gone; call them from test threads only, never from a Reactor non-blocking thread.
 */
public interface ZooKeeperTestServer extends AutoCloseable {

    /**
     * The connect string a ZooKeeper client uses to reach this server, such as {@code 127.0.0.1:40123}.
     *
     * @return the connect string; stable across {@link #restart()} for the embedded server
     */
    String connectString();

    /**
     * Starts the server if it is not running, and returns once it accepts clients.
     *
     * @throws IllegalStateException if the server could not be started, or was closed
     */
    void start();

    /**
     * Stops the server if it is running, and returns once its port is closed. Data stays on disk and open client
     * sessions are kept in the transaction log, so a later {@link #start()} resumes them if they have not timed out.
     *
     * @throws IllegalStateException if the server did not stop within its shutdown timeout
     */
    void stop();

    /**
     * Stops and starts the server on the same port with the same data.
     */
    default void restart() {
        stop();
        start();
    }

    /**
     * Whether the server is currently serving clients.
     *
     * @return {@code true} between a successful {@link #start()} and the next {@link #stop()}
     */
    boolean isRunning();

    /**
     * Stops the server for good and deletes whatever it owns (data directory, container). Idempotent; never throws.
     */
    @Override
    void close();
}
