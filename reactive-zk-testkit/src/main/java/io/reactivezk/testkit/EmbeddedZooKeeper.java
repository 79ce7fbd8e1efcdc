package io.reactivezk.testkit;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.RequestProcessor;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server running inside the test JVM, from ZooKeeper's own server code.
 *
 * <p>It listens on 127.0.0.1 and a free port chosen at the first start, with its data in a temporary directory.
 * {@link #restart()} keeps both, so data and client sessions survive (sessions live in the transaction log, and expire
 * only if the server stays down longer than their timeout). TTL and container nodes are enabled; container nodes are
 * reaped within about a second. {@link #close()} deletes the data directory.
 *
 * <pre>{@code
 * try (EmbeddedZooKeeper server = EmbeddedZooKeeper.builder().build()) {
 *     server.start();
 *     ZooKeeper client = new ZooKeeper(server.connectString(), 10_000, event -> {});
 * }
 * }</pre>
 *
 * <p>Thread-safe. Lifecycle methods block until done and are bounded by {@link Builder#shutdownTimeout(Duration)};
 * call them from test threads.
 */
public final class EmbeddedZooKeeper implements ZooKeeperTestServer {

    /** Tick length of the server: sessions are checked for expiry once a tick. */
    public static final Duration DEFAULT_TICK_TIME = Duration.ofMillis(500);

    /** Longest session timeout the server grants; ZooKeeper's own default would cap a 10 s request at 10 s anyway. */
    public static final Duration DEFAULT_MAX_SESSION_TIMEOUT = Duration.ofSeconds(60);

    /** How long a stop may take before it is reported as hung. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
    private static final int MAX_BIND_ATTEMPTS = 5;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(2);

    private final Duration tickTime;
    private final Duration maxSessionTimeout;
    private final Duration shutdownTimeout;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final @Nullable TlsFiles tls;
    private int port;

    private @Nullable Running running;
    private boolean closed;

    private EmbeddedZooKeeper(Builder builder) {
        ServerDefaults.apply();
        this.tickTime = builder.tickTime;
        this.maxSessionTimeout = builder.maxSessionTimeout;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.port = builder.port;
        this.tls = builder.tls;
        this.ownsDataDir = builder.dataDir == null;
        this.dataDir = builder.dataDir != null ? builder.dataDir : TempDirs.create("reactive-zk-embedded-");
    }

    /**
     * Starts building a server with the defaults: free port, temporary data directory, {@link #DEFAULT_TICK_TIME}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a server with the defaults and starts it.
     *
     * @return the running server; close it when done
     */
    public static EmbeddedZooKeeper startNew() {
        EmbeddedZooKeeper server = builder().build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("this EmbeddedZooKeeper is closed");
        }
        if (running != null) {
            return;
        }
        boolean fixedPort = port != 0;
        for (int attempt = 1; ; attempt++) {
            int candidate = fixedPort ? port : Ports.freePort();
            try {
                running = Running.start(this, candidate);
                port = candidate;
                log.info("embedded ZooKeeper serving on 127.0.0.1:{} (data in {})", port, dataDir);
                return;
            } catch (BindException e) {
                if (fixedPort || attempt >= MAX_BIND_ATTEMPTS) {
                    throw new IllegalStateException("cannot bind embedded ZooKeeper to 127.0.0.1:" + candidate, e);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded ZooKeeper in " + dataDir, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting embedded ZooKeeper", e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        Running current = running;
        if (current == null) {
            return;
        }
        running = null;
        if (!Bounded.run("embedded-zookeeper-stop", shutdownTimeout, current::stop)) {
            throw new IllegalStateException("embedded ZooKeeper on port " + port + " did not stop within "
                    + shutdownTimeout + "; its threads may linger");
        }
        log.info("embedded ZooKeeper on 127.0.0.1:{} stopped", port);
    }

    @Override
    public synchronized boolean isRunning() {
        return running != null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("embedded ZooKeeper did not shut down cleanly: {}", e.getMessage());
        }
        closed = true;
        if (ownsDataDir) {
            TempDirs.deleteQuietly(dataDir);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the server has never been started, so it has no port yet
     */
    @Override
    public synchronized String connectString() {
        if (port == 0) {
            throw new IllegalStateException("the embedded ZooKeeper has no port until it is started");
        }
        return "127.0.0.1:" + port;
    }

    /**
     * The client port; stable across restarts.
     *
     * @return the port, or 0 if the server was never started
     */
    public synchronized int port() {
        return port;
    }

    /**
     * The directory holding snapshots and transaction logs.
     *
     * @return the data directory
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Expires a session on the server, as its timeout would: its ephemeral nodes are deleted and its client gets
     * {@code Expired} when it next talks to the server. Returns once the server no longer tracks the session.
     *
     * @param sessionId the session to expire
     * @throws IllegalStateException if the server is not running or did not expire the session in time
     */
    public void expireSession(long sessionId) {
        ZooKeeperServer server = requireServer();
        server.expire(sessionId);
        Instant deadline = Instant.now().plus(shutdownTimeout);
        while (server.getSessionTracker().isTrackingSession(sessionId)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "session 0x" + Long.toHexString(sessionId) + " still tracked after " + shutdownTimeout);
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    /**
     * Expires the session of {@code client}, see {@link #expireSession(long)}.
     *
     * @param client a client connected to this server
     */
    public void expireSession(ZooKeeper client) {
        expireSession(Objects.requireNonNull(client, "client").getSessionId());
    }

    /**
     * How many watches (path and watcher pairs, one-shot and persistent) the server holds right now.
     *
     * @return the server's watch count
     * @throws IllegalStateException if the server is not running
     */
    public int watchCount() {
        return requireServer().getZKDatabase().getDataTree().getWatchCount();
    }

    /**
     * How many client connections the server has right now.
     *
     * @return the number of live connections
     * @throws IllegalStateException if the server is not running
     */
    public int connectionCount() {
        return requireServer().getNumAliveConnections();
    }

    /**
     * The live server object, for inspection beyond what this class offers.
     *
     * @return ZooKeeper's server object
     * @throws IllegalStateException if the server is not running
     */
    public ZooKeeperServer server() {
        return requireServer();
    }

    private synchronized ZooKeeperServer requireServer() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException("the embedded ZooKeeper is not running");
        }
        return current.server;
    }

    @Override
    public String toString() {
        return "EmbeddedZooKeeper[127.0.0.1:" + port + (isRunning() ? ", running" : ", stopped") + "]";
    }

    /** The objects that exist only while the server runs. */
    private static final class Running {
        final FileTxnSnapLog txnLog;
        final ExposedServer server;
        final ServerCnxnFactory connections;
        final ContainerManager containers;

        private Running(
                FileTxnSnapLog txnLog,
                ExposedServer server,
                ServerCnxnFactory connections,
                ContainerManager containers) {
            this.txnLog = txnLog;
            this.server = server;
            this.connections = connections;
            this.containers = containers;
        }

        static Running start(EmbeddedZooKeeper owner, int port) throws IOException, InterruptedException {
            FileTxnSnapLog txnLog = new FileTxnSnapLog(
                    owner.dataDir.resolve("log").toFile(),
                    owner.dataDir.resolve("snap").toFile());
            int tick = (int) owner.tickTime.toMillis();
            ExposedServer server = new ExposedServer(txnLog, tick, (int) owner.maxSessionTimeout.toMillis());
            TlsFiles tls = owner.tls;
            ServerCnxnFactory connections = tls == null ? ServerCnxnFactory.createFactory() : secureFactory(tls);
            try {
                connections.configure(new InetSocketAddress("127.0.0.1", port), 1000, -1, tls != null);
                connections.startup(server);
            } catch (IOException | InterruptedException | RuntimeException e) {
                connections.shutdown();
                server.shutdown(true);
                txnLog.close();
                if (tls != null) {
                    ServerTls.release();
                }
                throw e;
            }
            ContainerManager containers = new ContainerManager(
                    server.getZKDatabase(),
                    server.firstProcessor(),
                    Integer.getInteger("znode.container.checkIntervalMs", 500),
                    10_000,
                    0);
            containers.start();
            return new Running(txnLog, server, connections, containers);
        }

        void stop() throws IOException, InterruptedException {
            containers.stop();
            connections.shutdown();
            connections.join();
            server.shutdown(true);
            txnLog.close();
            if (connections.isSecure()) {
                ServerTls.release();
            }
        }

        /** ZooKeeper's Netty server factory, whose TLS settings come from system properties only. */
        private static ServerCnxnFactory secureFactory(TlsFiles tls) throws IOException {
            ServerTls.acquire(tls);
            String previous = System.getProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY);
            System.setProperty(
                    ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY,
                    "org.apache.zookeeper.server.NettyServerCnxnFactory");
            try {
                return ServerCnxnFactory.createFactory();
            } catch (IOException | RuntimeException e) {
                ServerTls.release();
                throw e;
            } finally {
                if (previous == null) {
                    System.clearProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY);
                } else {
                    System.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, previous);
                }
            }
        }
    }

    /**
     * The JVM-wide system properties of TLS servers: ZooKeeper's Netty server reads its key and trust stores from them
     * for every new connection. Set while at least one TLS server runs, then restored. One set of stores at a time.
     */
    private static final class ServerTls {
        private static final String X509_PROVIDER_KEY = ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX + "x509";
        private static int servers;
        private static @Nullable TlsFiles current;
        private static final Map<String, @Nullable String> previous = new HashMap<>();

        static synchronized void acquire(TlsFiles tls) {
            if (servers > 0 && current != tls) {
                throw new IllegalStateException(
                        "another TLS EmbeddedZooKeeper with other stores runs: ZooKeeper's server takes one set per JVM");
            }
            if (servers++ == 0) {
                current = tls;
                Map<String, String> properties = new HashMap<>(tls.serverProperties());
                // The server authenticates each TLS client by its certificate, with this provider.
                properties.put(X509_PROVIDER_KEY, "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
                properties.forEach((key, value) -> {
                    previous.put(key, System.getProperty(key));
                    System.setProperty(key, value);
                });
                ProviderRegistry.addOrUpdateProvider(X509_PROVIDER_KEY);
            }
        }

        static synchronized void release() {
            if (servers == 0 || --servers > 0) {
                return;
            }
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
            previous.clear();
            current = null;
            ProviderRegistry.removeProvider("x509");
        }
    }

    /** Gives the container reaper the first request processor, which ZooKeeper keeps protected. */
    private static final class ExposedServer extends ZooKeeperServer {
        ExposedServer(FileTxnSnapLog txnLog, int tickTime, int maxSessionTimeout) {
            super(txnLog, tickTime, 2 * tickTime, maxSessionTimeout, -1, null, "");
        }

        RequestProcessor firstProcessor() {
            return firstProcessor;
        }
    }

    /** Settings of an {@link EmbeddedZooKeeper}. */
    public static final class Builder {
        private Duration tickTime = DEFAULT_TICK_TIME;
        private Duration maxSessionTimeout = DEFAULT_MAX_SESSION_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int port;
        private @Nullable Path dataDir;
        private @Nullable TlsFiles tls;

        private Builder() {}

        /**
         * Serves TLS only on the client port, with ZooKeeper's Netty server and these stores; clients need {@link
         * TlsFiles#clientProperties()}. ZooKeeper's server reads its TLS settings from system properties only, so they
         * are set for the JVM while the server runs (and restored after); one set of stores at a time.
         *
         * @param tls the stores
         * @return this builder
         */
        public Builder tls(TlsFiles tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * The server's tick: the granularity of session expiry, and half the shortest session timeout it grants.
         *
         * @param tickTime at least one millisecond
         * @return this builder
         */
        public Builder tickTime(Duration tickTime) {
            if (tickTime.toMillis() < 1) {
                throw new IllegalArgumentException("tickTime must be at least 1 ms: " + tickTime);
            }
            this.tickTime = tickTime;
            return this;
        }

        /**
         * The longest session timeout the server grants; longer requests are cut to it.
         *
         * @param maxSessionTimeout the cap
         * @return this builder
         */
        public Builder maxSessionTimeout(Duration maxSessionTimeout) {
            this.maxSessionTimeout = Objects.requireNonNull(maxSessionTimeout, "maxSessionTimeout");
            return this;
        }

        /**
         * How long {@link EmbeddedZooKeeper#stop()} waits for ZooKeeper's shutdown.
         *
         * @param shutdownTimeout the bound
         * @return this builder
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * A fixed client port instead of a free one.
         *
         * @param port 1 to 65535, or 0 for a free port
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A data directory the caller owns (it is not deleted on close), for example to start a second server on the
         * data of a first.
         *
         * @param dataDir the directory
         * @return this builder
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * Creates the server, not yet started.
         *
         * @return the server
         */
        public EmbeddedZooKeeper build() {
            return new EmbeddedZooKeeper(this);
        }
    }
}
