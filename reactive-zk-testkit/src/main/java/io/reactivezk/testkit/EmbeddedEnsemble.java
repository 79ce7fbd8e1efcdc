package io.reactivezk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeer.ServerState;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZooKeeper quorum of {@code n} peers running inside the test JVM on loopback, from ZooKeeper's own quorum code.
 *
 * <p>Members are numbered from 0 to {@code size() - 1} (their ZooKeeper {@code myid} is the index plus one). Each has
 * its own client, quorum and election ports and data directory, all kept across {@link #stop(int)} and
 * {@link #start(int)}, so a restarted member rejoins with its data. Stop a minority to exercise fail-over, a majority to
 * lose the quorum.
 *
 * <pre>{@code
 * try (EmbeddedEnsemble ensemble = EmbeddedEnsemble.startNew(3)) {
 *     ZooKeeper client = new ZooKeeper(ensemble.connectString(), 10_000, event -> {});
 *     ensemble.stop(ensemble.memberOf(client));   // the client moves to another member, same session
 * }
 * }</pre>
 *
 * <p>Thread-safe. Lifecycle methods block; call them from test threads.
 */
public final class EmbeddedEnsemble implements AutoCloseable {

    /** Tick length of every member. */
    public static final Duration DEFAULT_TICK_TIME = Duration.ofMillis(500);

    /** How long a member's shutdown may take before it is reported as hung. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);

    /** How long {@link #startNew(int)} waits for the first quorum. */
    public static final Duration DEFAULT_QUORUM_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEnsemble.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final Path baseDir;
    private final Duration tickTime;
    private final Duration shutdownTimeout;
    private final List<Member> members;
    private final Map<String, String> extraConfig = new LinkedHashMap<>();
    private boolean closed;

    private EmbeddedEnsemble(int size, Duration tickTime, Duration shutdownTimeout) {
        ServerDefaults.apply();
        this.tickTime = tickTime;
        this.shutdownTimeout = shutdownTimeout;
        this.baseDir = TempDirs.create("reactive-zk-ensemble-");
        List<Member> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(new Member(i, Ports.freePort(), Ports.freePort(), Ports.freePort(), baseDir.resolve("peer-" + i)));
        }
        this.members = List.copyOf(list);
    }

    /**
     * Creates an ensemble of {@code size} members, not yet started.
     *
     * @param size the number of members, at least 3 so that one may fail without losing the quorum
     * @return the ensemble
     */
    public static EmbeddedEnsemble create(int size) {
        return create(size, DEFAULT_TICK_TIME);
    }

    /**
     * Creates an ensemble of {@code size} members with a given tick, not yet started.
     *
     * @param size the number of members, at least 3
     * @param tickTime the tick of every member
     * @return the ensemble
     */
    public static EmbeddedEnsemble create(int size, Duration tickTime) {
        if (size < 3) {
            throw new IllegalArgumentException("an ensemble needs at least 3 members to survive a failure: " + size);
        }
        Objects.requireNonNull(tickTime, "tickTime");
        return new EmbeddedEnsemble(size, tickTime, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * Creates and starts an ensemble of {@code size} members, and waits for its quorum.
     *
     * @param size the number of members, at least 3
     * @return the running ensemble; close it when done
     */
    public static EmbeddedEnsemble startNew(int size) {
        EmbeddedEnsemble ensemble = create(size);
        try {
            ensemble.startAll();
            ensemble.awaitQuorum(DEFAULT_QUORUM_TIMEOUT);
        } catch (RuntimeException e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
    }

    /**
     * The number of members.
     *
     * @return the size given at creation
     */
    public int size() {
        return members.size();
    }

    /**
     * The connect string of every member, for a client that may use any of them.
     *
     * @return for example {@code 127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003}
     */
    public String connectString() {
        return members.stream().map(Member::connectString).collect(Collectors.joining(","));
    }

    /**
     * The connect string of one member only.
     *
     * @param index the member, from 0
     * @return for example {@code 127.0.0.1:40002}
     */
    public String connectString(int index) {
        return member(index).connectString();
    }

    /**
     * Sets a configuration key of every member (a {@code zoo.cfg} line, such as {@code localSessionsEnabled=true}),
     * replacing the default for that key; members started afterwards use it.
     *
     * @param key the configuration key
     * @param value its value
     * @return this ensemble
     */
    public synchronized EmbeddedEnsemble withConfig(String key, String value) {
        extraConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Starts every member that is not running; does not wait for the quorum. */
    public synchronized void startAll() {
        for (int i = 0; i < members.size(); i++) {
            start(i);
        }
    }

    /**
     * Starts one member, which then joins the quorum in the background; see {@link #awaitQuorum(Duration)}.
     *
     * @param index the member, from 0
     */
    public synchronized void start(int index) {
        if (closed) {
            throw new IllegalStateException("this EmbeddedEnsemble is closed");
        }
        member(index).start(this);
    }

    /**
     * Stops one member and returns once its ports are closed; its clients move to other members.
     *
     * @param index the member, from 0
     * @throws IllegalStateException if the member did not stop within the shutdown timeout
     */
    public synchronized void stop(int index) {
        member(index).stop(shutdownTimeout);
    }

    /**
     * Stops every member but one: the quorum is lost, and the one left running stops serving its clients (it cannot
     * reach a leader) without closing its port. {@link #startAll()} brings the others back.
     *
     * @param index the member left running, from 0
     */
    public synchronized void stopAllBut(int index) {
        member(index);
        for (int i = 0; i < members.size(); i++) {
            if (i != index) {
                stop(i);
            }
        }
    }

    /**
     * Stops and starts one member; it keeps its ports and data.
     *
     * @param index the member, from 0
     */
    public synchronized void restart(int index) {
        stop(index);
        start(index);
    }

    /**
     * Whether a member is started (it may still be looking for a leader).
     *
     * @param index the member, from 0
     * @return {@code true} between {@link #start(int)} and {@link #stop(int)}
     */
    public synchronized boolean isRunning(int index) {
        return member(index).peer() != null;
    }

    /**
     * Waits until there is a leader and every started member serves clients, as leader or follower.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException if that does not happen in time, with each member's state in the message
     */
    public void awaitQuorum(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!hasServingQuorum()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("no serving quorum after " + timeout + ": " + describe());
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    /**
     * The index of the current leader.
     *
     * @return the leader's index
     * @throws IllegalStateException if no member leads right now
     */
    public synchronized int leader() {
        for (Member member : members) {
            QuorumPeer peer = member.peer();
            if (peer != null && peer.getPeerState() == ServerState.LEADING) {
                return member.index;
            }
        }
        throw new IllegalStateException("no leader: " + describe());
    }

    /**
     * The member a client is connected to right now, found by its session among each member's connections.
     *
     * @param client a connected client
     * @return the member's index
     * @throws IllegalStateException if no running member has a connection for the client's session
     */
    public synchronized int memberOf(ZooKeeper client) {
        long sessionId = Objects.requireNonNull(client, "client").getSessionId();
        for (Member member : members) {
            ServerCnxnFactory factory = member.connections();
            if (factory == null) {
                continue;
            }
            for (ServerCnxn connection : factory.getConnections()) {
                if (connection.getSessionId() == sessionId) {
                    return member.index;
                }
            }
        }
        throw new IllegalStateException(
                "no member has a connection for session 0x" + Long.toHexString(sessionId) + ": " + describe());
    }

    /**
     * The live server object of a member that serves clients, for inspection (watch counts, sessions).
     *
     * @param index the member, from 0
     * @return ZooKeeper's server object for that member
     * @throws IllegalStateException if the member is not serving
     */
    public synchronized ZooKeeperServer server(int index) {
        QuorumPeer peer = member(index).peer();
        ZooKeeperServer server = peer == null ? null : peer.getActiveServer();
        if (server == null || !server.isRunning()) {
            throw new IllegalStateException("member " + index + " is not serving: " + describe());
        }
        return server;
    }

    /** Stops every member and deletes the data. Idempotent; never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Member member : members) {
            try {
                member.stop(shutdownTimeout);
            } catch (RuntimeException e) {
                log.warn("ensemble member {} did not shut down cleanly: {}", member.index, e.getMessage());
            }
        }
        TempDirs.deleteQuietly(baseDir);
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedEnsemble" + describe();
    }

    private synchronized boolean hasServingQuorum() {
        int started = 0;
        int serving = 0;
        boolean leading = false;
        for (Member member : members) {
            QuorumPeer peer = member.peer();
            if (peer == null) {
                continue;
            }
            started++;
            ServerState state = peer.getPeerState();
            ZooKeeperServer server = peer.getActiveServer();
            if ((state == ServerState.LEADING || state == ServerState.FOLLOWING)
                    && server != null
                    && server.isRunning()) {
                serving++;
                leading |= state == ServerState.LEADING;
            }
        }
        return leading && serving == started && serving > members.size() / 2;
    }

    private synchronized String describe() {
        return IntStream.range(0, members.size())
                .mapToObj(i -> {
                    QuorumPeer peer = members.get(i).peer();
                    return i + "=" + (peer == null ? "stopped" : peer.getPeerState());
                })
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private Member member(int index) {
        if (index < 0 || index >= members.size()) {
            throw new IllegalArgumentException(
                    "member index must be between 0 and " + (members.size() - 1) + ": " + index);
        }
        return members.get(index);
    }

    private Properties configuration(Member self) {
        Properties properties = new Properties();
        properties.setProperty("tickTime", Long.toString(tickTime.toMillis()));
        properties.setProperty("initLimit", "10");
        properties.setProperty("syncLimit", "5");
        properties.setProperty("maxSessionTimeout", "60000");
        properties.setProperty("dataDir", self.dataDir.toString());
        properties.setProperty("clientPort", Integer.toString(self.clientPort));
        properties.setProperty("clientPortAddress", "127.0.0.1");
        properties.setProperty("reconfigEnabled", "false");
        properties.setProperty("standaloneEnabled", "false");
        for (Member member : members) {
            properties.setProperty(
                    "server." + member.myid(),
                    "127.0.0.1:" + member.quorumPort + ":" + member.electionPort + ":participant;127.0.0.1:"
                            + member.clientPort);
        }
        extraConfig.forEach(properties::setProperty);
        return properties;
    }

    /** One quorum peer: fixed ports and directory, and a running peer between start and stop. */
    private static final class Member {
        final int index;
        final int clientPort;
        final int quorumPort;
        final int electionPort;
        final Path dataDir;
        private @Nullable PeerMain main;
        private @Nullable Thread thread;

        Member(int index, int clientPort, int quorumPort, int electionPort, Path dataDir) {
            this.index = index;
            this.clientPort = clientPort;
            this.quorumPort = quorumPort;
            this.electionPort = electionPort;
            this.dataDir = dataDir;
        }

        int myid() {
            return index + 1;
        }

        String connectString() {
            return "127.0.0.1:" + clientPort;
        }

        @Nullable
        QuorumPeer peer() {
            PeerMain current = main;
            return current == null ? null : current.peer();
        }

        @Nullable
        ServerCnxnFactory connections() {
            QuorumPeer peer = peer();
            ZooKeeperServer server = peer == null ? null : peer.getActiveServer();
            return server == null ? null : server.getServerCnxnFactory();
        }

        void start(EmbeddedEnsemble ensemble) {
            if (main != null) {
                return;
            }
            QuorumPeerConfig config = new QuorumPeerConfig();
            try {
                Files.createDirectories(dataDir);
                Files.writeString(dataDir.resolve("myid"), Integer.toString(myid()), StandardCharsets.US_ASCII);
                Properties properties = ensemble.configuration(this);
                if (Boolean.parseBoolean(properties.getProperty("reconfigEnabled"))) {
                    // Dynamic reconfiguration writes the membership to files next to the configuration file, so
                    // ZooKeeper needs one: it moves the server lines to zoo.cfg.dynamic.<version> at the first
                    // start. The file is written again at each start, with the ensemble's original membership.
                    Path file = dataDir.resolve("zoo.cfg");
                    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                        properties.store(out, "written by the reactive-zk testkit");
                    }
                    config.parse(file.toString());
                } else {
                    config.parseProperties(properties);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare ensemble member " + index + " in " + dataDir, e);
            } catch (QuorumPeerConfig.ConfigException e) {
                throw new IllegalStateException("invalid configuration for ensemble member " + index, e);
            }
            PeerMain peerMain = new PeerMain();
            Thread runner = new Thread(
                    () -> {
                        try {
                            peerMain.runFromConfig(config);
                        } catch (Exception e) {
                            log.error("ensemble member {} failed", index, e);
                        }
                    },
                    "embedded-ensemble-peer-" + index);
            runner.setDaemon(true);
            runner.start();
            peerMain.awaitPeer(runner);
            this.main = peerMain;
            this.thread = runner;
            log.info("ensemble member {} started on 127.0.0.1:{}", index, clientPort);
        }

        void stop(Duration timeout) {
            PeerMain current = main;
            Thread runner = thread;
            if (current == null || runner == null) {
                return;
            }
            main = null;
            thread = null;
            boolean stopped = Bounded.run("embedded-ensemble-stop-" + index, timeout, () -> {
                current.close();
                runner.join();
            });
            if (!stopped) {
                throw new IllegalStateException(
                        "ensemble member " + index + " did not stop within " + timeout + "; its threads may linger");
            }
            log.info("ensemble member {} stopped", index);
        }
    }

    /** Exposes the peer that {@link QuorumPeerMain#runFromConfig} creates, which ZooKeeper keeps protected. */
    private static final class PeerMain extends QuorumPeerMain {
        private volatile @Nullable QuorumPeer published;

        @Override
        protected QuorumPeer getQuorumPeer() throws javax.security.sasl.SaslException {
            QuorumPeer peer = super.getQuorumPeer();
            published = peer;
            return peer;
        }

        @Nullable
        QuorumPeer peer() {
            return published;
        }

        /**
         * Waits until the peer's own thread runs (it is then in leader election), or the runner thread ended. A stop
         * issued before that would race ZooKeeper's start-up, which may then start a peer after it was shut down.
         */
        void awaitPeer(Thread runner) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (runner.isAlive() && (published == null || !published.isAlive())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("ensemble member did not start its peer within 30 s");
                }
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
            if (published == null || !published.isAlive()) {
                throw new IllegalStateException("ensemble member failed to start; see the log");
            }
        }
    }
}
