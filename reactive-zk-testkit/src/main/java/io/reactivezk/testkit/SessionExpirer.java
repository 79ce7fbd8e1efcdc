package io.reactivezk.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

/**
 * Expires a client's session on the server for real, on any server or ensemble, the way the server itself would after
 * a timeout: its ephemeral nodes are deleted and the client receives {@code Expired}.
 *
 * <p>It opens a second handle with the client's session id and password, waits until that handle is connected, then
 * closes it. Closing ends the session on the server (committed through the quorum in an ensemble) before
 * {@link #expire} returns. The original client notices on its next exchange with the server: it is disconnected, tries
 * to reconnect, and is told the session has expired.
 *
 * <p>Blocks the calling thread; call it from test threads.
 */
public final class SessionExpirer {

    /** How long {@link #expire(ZooKeeper, String)} waits for the second handle to connect. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private SessionExpirer() {}

    /**
     * Expires {@code client}'s session through the given servers, waiting at most {@link #DEFAULT_TIMEOUT}.
     *
     * @param client the client whose session ends; it must have a session (have connected once)
     * @param connectString servers of the same ensemble the client uses (any member will do)
     */
    public static void expire(ZooKeeper client, String connectString) {
        expire(client, connectString, DEFAULT_TIMEOUT);
    }

    /**
     * Expires {@code client}'s session through the given servers.
     *
     * @param client the client whose session ends; it must have a session (have connected once)
     * @param connectString servers of the same ensemble the client uses (any member will do)
     * @param timeout how long to wait for the second handle to connect
     * @throws IllegalStateException if the client has no session, or the second handle could not connect in time
     */
    public static void expire(ZooKeeper client, String connectString, Duration timeout) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(connectString, "connectString");
        long sessionId = client.getSessionId();
        byte[] password = client.getSessionPasswd();
        if (sessionId == 0) {
            throw new IllegalStateException("the client has no session yet; wait until it is connected");
        }
        expire(sessionId, password, connectString, timeout);
    }

    /**
     * Expires the session with the given id and password through the given servers.
     *
     * @param sessionId the session to end
     * @param password the session's password, from {@link ZooKeeper#getSessionPasswd()}
     * @param connectString servers of the ensemble that holds the session
     * @param timeout how long to wait for the second handle to connect
     * @throws IllegalStateException if the second handle could not connect in time, or the session is already gone
     */
    public static void expire(long sessionId, byte[] password, String connectString, Duration timeout) {
        String session = "0x" + Long.toHexString(sessionId);
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch expired = new CountDownLatch(1);
        ZooKeeper twin;
        try {
            twin = new ZooKeeper(
                    connectString,
                    (int) timeout.toMillis(),
                    event -> {
                        if (event.getState() == KeeperState.SyncConnected) {
                            connected.countDown();
                        } else if (event.getState() == KeeperState.Expired) {
                            expired.countDown();
                        }
                    },
                    sessionId,
                    password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a second handle on " + connectString, e);
        }
        try {
            if (!awaitEither(connected, expired, timeout)) {
                throw new IllegalStateException(
                        "could not attach to session " + session + " on " + connectString + " within " + timeout);
            }
            if (expired.getCount() == 0) {
                throw new IllegalStateException("session " + session + " had already expired");
            }
        } finally {
            try {
                // close() sends closeSession and waits for the server's reply: the session is gone when it returns.
                twin.close((int) timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while expiring session " + session, e);
            }
        }
    }

    private static boolean awaitEither(CountDownLatch first, CountDownLatch second, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (first.await(5, TimeUnit.MILLISECONDS) || second.getCount() == 0) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return first.getCount() == 0 || second.getCount() == 0;
    }
}
