package io.reactivezk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server of any version, in a JVM process of its own, started from a directory of jars: the
 * server of another ZooKeeper release than the one on the test class path (for instance 3.8, whose watch handling
 * differs from 3.9's), without Docker.
 *
 * <p>The server listens on 127.0.0.1 and a free port, keeps its data directory across {@link #stop()} and {@link
 * #start()}, answers every four-letter word ({@code 4lw.commands.whitelist=*}, so {@code wchs} and {@code srvr} work)
 * and accepts TTL and container nodes; {@link #withConfig} changes any of that. Its output goes to {@code server.log} in its data directory, whose tail is part
 * of the error when it does not start.
 */
public final class ForkedZooKeeper implements ZooKeeperTestServer {

    /** How long {@link #start()} waits for the server to answer. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** How long {@link #stop()} waits for the process to end before killing it. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(ForkedZooKeeper.class);

    private final Path jars;
    private final Path dir;
    private final int port;
    private final Map<String, String> config = new LinkedHashMap<>();
    private @Nullable Process process;
    private @Nullable Thread killOnExit;
    private boolean closed;

    private ForkedZooKeeper(Path jars) {
        this.jars = jars;
        this.dir = TempDirs.create("forked-zookeeper-");
        this.port = Ports.freePort();
        config.put("tickTime", "500");
        config.put("dataDir", dir.resolve("data").toAbsolutePath().toString());
        config.put("clientPort", Integer.toString(port));
        config.put("clientPortAddress", "127.0.0.1");
        config.put("admin.enableServer", "false");
        config.put("4lw.commands.whitelist", "*");
        config.put("extendedTypesEnabled", "true");
        config.put("maxSessionTimeout", "60000");
    }

    /**
     * Sets a line of the server's {@code zoo.cfg}, replacing the default for that key (for example {@code
     * extendedTypesEnabled=false}); takes effect at the next {@link #start()}.
     *
     * @param key the configuration key
     * @param value its value
     * @return this server
     */
    public synchronized ForkedZooKeeper withConfig(String key, String value) {
        config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * A server whose class path is every jar in {@code jars} (ZooKeeper, its jute, Netty, SLF4J and, optionally, a
     * logging backend), not yet started.
     *
     * @param jars a directory of jars
     * @return the server
     * @throws IllegalArgumentException if the directory holds no ZooKeeper jar
     */
    public static ForkedZooKeeper create(Path jars) {
        Objects.requireNonNull(jars, "jars");
        if (zooKeeperJar(jars) == null) {
            throw new IllegalArgumentException("no zookeeper-<version>.jar in " + jars.toAbsolutePath());
        }
        return new ForkedZooKeeper(jars);
    }

    /**
     * The ZooKeeper version of the jars in a directory, from the name of its {@code zookeeper-<version>.jar}.
     *
     * @return the version, for example {@code 3.8.6}
     */
    public String version() {
        Path jar = Objects.requireNonNull(zooKeeperJar(jars));
        String name = jar.getFileName().toString();
        return name.substring("zookeeper-".length(), name.length() - ".jar".length());
    }

    private static @Nullable Path zooKeeperJar(Path jars) {
        if (!Files.isDirectory(jars)) {
            return null;
        }
        try (Stream<Path> files = Files.list(jars)) {
            return files.filter(file -> file.getFileName().toString().matches("zookeeper-\\d[\\w.-]*\\.jar"))
                    .filter(file -> !file.getFileName().toString().startsWith("zookeeper-jute"))
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jars, e);
        }
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the server was closed");
        }
        if (process != null && process.isAlive()) {
            return;
        }
        Path configFile = dir.resolve("zoo.cfg");
        try {
            Files.createDirectories(dir.resolve("data"));
            StringBuilder lines = new StringBuilder();
            config.forEach(
                    (key, value) -> lines.append(key).append('=').append(value).append('\n'));
            Files.writeString(configFile, lines.toString(), StandardCharsets.UTF_8);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            process = new ProcessBuilder(
                            java.toString(),
                            "-Xmx256m",
                            "-Dznode.container.checkIntervalMs=500",
                            "-cp",
                            jars.toAbsolutePath() + "/*",
                            "org.apache.zookeeper.server.ZooKeeperServerMain",
                            configFile.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a ZooKeeper server from " + jars, e);
        }
        // A test JVM that ends without closing the server must not leave the process behind.
        Process started = process;
        killOnExit = new Thread(started::destroyForcibly, "forked-zookeeper-" + port + "-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitAnswer();
        log.info("forked ZooKeeper {} serving on {} (pid {})", version(), connectString(), process.pid());
    }

    /** Polls {@code srvr} until the server answers; bounded by {@link #START_TIMEOUT}. */
    private void awaitAnswer() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Process running = Objects.requireNonNull(process);
            if (!running.isAlive()) {
                throw new IllegalStateException("the forked ZooKeeper server exited with " + running.exitValue()
                        + "; its log ends with:\n" + logTail());
            }
            if (fourLetterWord("srvr").contains("Mode:")) {
                return;
            }
            try {
                // Polling a process that is still starting: nothing to wait on but time.
                running.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the forked ZooKeeper server", e);
            }
        }
        stop();
        throw new IllegalStateException("the forked ZooKeeper server did not answer within " + START_TIMEOUT
                + "; its log ends with:\n" + logTail());
    }

    /**
     * Sends a four-letter word ({@code srvr}, {@code wchs}, {@code cons}, ...) and returns the answer.
     *
     * @param word the command
     * @return the server's answer, or an empty string if it did not answer
     */
    public String fourLetterWord(String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The server's watch count, as {@code wchs} reports it ({@code Total watches}).
     *
     * @return the number of watches
     * @throws IllegalStateException if the server does not answer
     */
    public int watchCount() {
        String answer = fourLetterWord("wchs");
        for (String line : answer.lines().toList()) {
            if (line.startsWith("Total watches:")) {
                return Integer.parseInt(
                        line.substring("Total watches:".length()).trim());
            }
        }
        throw new IllegalStateException("no watch count in the answer to wchs: " + answer);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Kills the server process at once ({@code SIGKILL}): no clean shutdown, connections drop as in a crash. {@link
     * #start()} brings it back on the same port with the data (and the sessions) it had written.
     */
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        stop();
    }

    @Override
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        process = null;
        Thread hook = killOnExit;
        killOnExit = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("forked ZooKeeper on {} did not stop within {}; killing it", connectString(), STOP_TIMEOUT);
                running.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    /**
     * The server's process id, for tools that act on the process (a benchmark pins it to a CPU).
     *
     * @return the pid
     * @throws IllegalStateException if the server is not running
     */
    public synchronized long pid() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException("the server is not running");
        }
        return running.pid();
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        TempDirs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "ForkedZooKeeper[" + jars + " on " + connectString() + "]";
    }
}
