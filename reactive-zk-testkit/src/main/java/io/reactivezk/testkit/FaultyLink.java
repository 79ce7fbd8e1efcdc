package io.reactivezk.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP link between clients and one ZooKeeper server, on 127.0.0.1, that a test can break the way networks break:
 * {@link #stall()} stops every byte in both directions without closing anything (a silent partition: the client
 * notices only when its read timeout passes), {@link #resume()} delivers what was held back, and {@link #cut()} closes
 * every connection at once (a reset); {@link #holdReplies()} lets requests reach the server but not its answers. New
 * connections are accepted throughout; while stalled they stall too.
 *
 * <p>Clients connect to {@link #connectString()} instead of the server's own. Each connection uses two daemon threads
 * that copy bytes with blocking socket calls; they are test threads, never Reactor or ZooKeeper threads.
 */
public final class FaultyLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaultyLink.class);

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Object lock = new Object();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong heldToServer = new AtomicLong();
    private boolean stalled;
    private boolean repliesHeld;
    private boolean closed;

    private FaultyLink(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "faulty-link-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Opens a link to a server.
     *
     * @param serverConnectString one {@code host:port}, such as {@link EmbeddedZooKeeper#connectString()}
     * @return the running link
     * @throws IllegalArgumentException if {@code serverConnectString} is not one {@code host:port}
     */
    public static FaultyLink to(String serverConnectString) {
        Objects.requireNonNull(serverConnectString, "serverConnectString must not be null");
        int colon = serverConnectString.lastIndexOf(':');
        if (colon <= 0 || serverConnectString.contains(",") || serverConnectString.contains("/")) {
            throw new IllegalArgumentException("expected one host:port, got: " + serverConnectString);
        }
        int port;
        try {
            port = Integer.parseInt(serverConnectString.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + serverConnectString, e);
        }
        try {
            return new FaultyLink(new InetSocketAddress(serverConnectString.substring(0, colon), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a link to " + serverConnectString, e);
        }
    }

    /**
     * The address clients use instead of the server's.
     *
     * @return {@code 127.0.0.1:port}
     */
    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Stops every byte in both directions; connections stay open. */
    public void stall() {
        synchronized (lock) {
            stalled = true;
            heldToServer.set(0);
        }
        log.info("{}: stalled", this);
    }

    /**
     * Lets requests through to the server but holds its replies back: the server applies what clients ask, and the
     * clients do not learn of it. Followed by {@link #cut()}, the replies are lost, as when a connection drops after a
     * request was applied.
     */
    public void holdReplies() {
        synchronized (lock) {
            repliesHeld = true;
        }
        log.info("{}: holding replies", this);
    }

    /** Delivers what was held back and lets bytes flow again. */
    public void resume() {
        synchronized (lock) {
            stalled = false;
            repliesHeld = false;
            lock.notifyAll();
        }
        log.info("{}: resumed", this);
    }

    /**
     * Whether the link is stalled.
     *
     * @return {@code true} between {@link #stall()} and {@link #resume()}
     */
    public boolean isStalled() {
        synchronized (lock) {
            return stalled;
        }
    }

    /**
     * How many bytes from clients the stall holds back, since the last {@link #stall()}: a test can wait until a
     * request it made is on the wire.
     *
     * @return the count; 0 when not stalled
     */
    public long heldToServer() {
        return heldToServer.get();
    }

    /**
     * Closes every open connection at once; bytes held back are dropped, and the link no longer stalls or holds
     * replies.
     */
    public void cut() {
        List<Socket> open;
        synchronized (lock) {
            open = new ArrayList<>(sockets);
            sockets.clear();
            stalled = false;
            repliesHeld = false;
            lock.notifyAll();
        }
        open.forEach(FaultyLink::closeQuietly);
        log.info("{}: cut {} sockets", this, open.size());
    }

    /** Closes the listener and every connection. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        closeQuietly(listener);
        cut();
    }

    private void accept() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                log.debug("{}: server unreachable: {}", this, e.toString());
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            synchronized (lock) {
                if (closed) {
                    closeQuietly(client);
                    closeQuietly(server);
                    return;
                }
                sockets.add(client);
                sockets.add(server);
            }
            pump(client, server, true);
            pump(server, client, false);
        }
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            if (!awaitFlowing(n, toServer, from)) {
                                break;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (SocketException e) {
                        // closed by cut() or by the other side
                    } catch (IOException e) {
                        log.debug("{}: connection ended: {}", this, e.toString());
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "faulty-link-" + (toServer ? "up-" : "down-") + listener.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits while stalled; {@code false} if the connection was cut meanwhile. */
    private boolean awaitFlowing(int bytes, boolean toServer, Socket from) {
        synchronized (lock) {
            if (stalled && toServer) {
                heldToServer.addAndGet(bytes);
            }
            while ((stalled || (repliesHeld && !toServer)) && !from.isClosed()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !from.isClosed() && sockets.contains(from);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "FaultyLink[" + connectString() + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }
}
