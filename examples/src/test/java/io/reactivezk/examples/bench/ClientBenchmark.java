package io.reactivezk.examples.bench;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.ForkedZooKeeper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.common.X509Exception;

/**
 * The client benchmark: raw ZooKeeper async callbacks, reactive-zk and Curator's async API side by side in one JVM,
 * on the same server, in interleaved rounds (each round runs every cell once, contenders in a rotating order), so
 * that every ratio compares figures measured moments apart.
 *
 * <p>Run it with {@code mvn -q -pl examples -am -Pbench test-compile exec:exec}; pass options with
 * {@code -Dbench.args="--rounds 5 --connect host:2181"}. See docs/performance.md.
 */
public final class ClientBenchmark {

    /** Where the benchmark's nodes live on the server; removed at the end. */
    static final String BASE = "/reactive-zk-bench";

    private static final Duration CELL_BOUND = Duration.ofMinutes(5);

    private ClientBenchmark() {}

    /** The run's settings, from the command line. */
    record Options(
            String connect,
            boolean inProcessServer,
            int rounds,
            int warmupRounds,
            int opsPerCell,
            List<Integer> windows,
            List<Operation> operations,
            List<String> contenders,
            int nodes,
            int payloadBytes,
            Path out,
            List<String> suites,
            List<Integer> advertisers,
            List<int[]> watchCases) {

        static Options parse(String... args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 == args.length) {
                    throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
                }
                given.put(args[i].substring(2), args[++i]);
            }
            Options options = new Options(
                    given.remove("connect"),
                    "in-process".equals(given.remove("server")),
                    Integer.parseInt(given.getOrDefault("rounds", "5")),
                    Integer.parseInt(given.getOrDefault("warmup", "1")),
                    Integer.parseInt(given.getOrDefault("ops-per-cell", "5000")),
                    Arrays.stream(given.getOrDefault("windows", "1,16,256").split(","))
                            .map(String::strip)
                            .map(Integer::parseInt)
                            .toList(),
                    Arrays.stream(given.getOrDefault("operations", "getData,getChildren,exists,create,setData")
                                    .split(","))
                            .map(String::strip)
                            .map(Operation::parse)
                            .toList(),
                    Arrays.stream(given.getOrDefault("contenders", "raw,reactive-zk,curator")
                                    .split(","))
                            .map(String::strip)
                            .toList(),
                    Integer.parseInt(given.getOrDefault("nodes", "1000")),
                    Integer.parseInt(given.getOrDefault("payload", "128")),
                    Path.of(given.getOrDefault("out", "target/benchmark")),
                    Arrays.stream(given.getOrDefault("suites", "operations,advertisements,watches")
                                    .split(","))
                            .map(String::strip)
                            .toList(),
                    Arrays.stream(given.getOrDefault("advertisers", "100,1000").split(","))
                            .map(String::strip)
                            .map(Integer::parseInt)
                            .toList(),
                    Arrays.stream(given.getOrDefault("watch-cases", "1x10000,1x100000,10000x10")
                                    .split(","))
                            .map(String::strip)
                            .map(ClientBenchmark::watchCase)
                            .toList());
            for (String known : List.of(
                    "rounds",
                    "warmup",
                    "ops-per-cell",
                    "windows",
                    "operations",
                    "contenders",
                    "nodes",
                    "payload",
                    "out",
                    "suites",
                    "advertisers",
                    "watch-cases")) {
                given.remove(known);
            }
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + given.keySet() + "; known: --connect,"
                        + " --server in-process, --rounds, --warmup, --ops-per-cell, --windows, --operations,"
                        + " --contenders, --nodes, --payload, --out, --suites, --advertisers, --watch-cases");
            }
            for (String suite : options.suites) {
                if (!List.of("operations", "advertisements", "watches").contains(suite)) {
                    throw new IllegalArgumentException(
                            "unknown suite '" + suite + "'; known: operations, advertisements, watches");
                }
            }
            if (!options.contenders.contains("raw")) {
                throw new IllegalArgumentException("--contenders must include raw: every ratio divides by it");
            }
            return options;
        }
    }

    /** One cell of one round. */
    record Result(
            int round,
            Operation op,
            int window,
            String contender,
            int ops,
            long wallNanos,
            double p50Micros,
            double p99Micros,
            long cpuNanos,
            long allocatedBytes,
            long contextSwitches,
            int failures) {

        double throughput() {
            return ops * 1e9 / wallNanos;
        }

        double cpuMicrosPerOp() {
            return cpuNanos / 1e3 / ops;
        }

        double bytesPerOp() {
            return (double) allocatedBytes / ops;
        }

        double switchesPerOp() {
            return contextSwitches < 0 ? Double.NaN : (double) contextSwitches / ops;
        }
    }

    /**
     * Runs the benchmark and writes {@code results.md} and {@code results.csv} to {@code --out}.
     *
     * @param args {@code --option value} pairs
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Outcome outcome = run(options, System.out);
        Report report = new Report(outcome, options);
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve("results.csv"), report.csv(), StandardCharsets.UTF_8);
        System.out.println(report.markdown());
        System.out.println("written: " + options.out().resolve("results.md") + ", "
                + options.out().resolve("results.csv"));
    }

    /** {@code PATHSxSUBSCRIBERS}, such as {@code 1x10000}. */
    private static int[] watchCase(String text) {
        String[] parts = text.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException(
                    "a watch case is PATHSxSUBSCRIBERS, such as 1x10000; got '" + text + "'");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** What a run measured: the operation cells, the advertisement-scale and the watch-scale figures. */
    record Outcome(
            List<Result> operations,
            List<AdvertisementScale.Figures> advertisements,
            List<WatchScale.Figures> watches) {}

    static Outcome run(Options options, PrintStream log) throws Exception {
        try (Server server = Server.start(options, log)) {
            List<Result> operations =
                    options.suites().contains("operations") ? measure(options, server.connectString(), log) : List.of();
            List<AdvertisementScale.Figures> advertisements = new ArrayList<>();
            if (options.suites().contains("advertisements")) {
                for (int m : options.advertisers()) {
                    advertisements.add(AdvertisementScale.run(server.connectString(), m, log));
                }
            }
            List<WatchScale.Figures> watches = new ArrayList<>();
            if (options.suites().contains("watches")) {
                for (int[] watchCase : options.watchCases()) {
                    watches.add(WatchScale.run(server.connectString(), watchCase[0], watchCase[1], log));
                }
            }
            return new Outcome(operations, advertisements, watches);
        }
    }

    private static List<Result> measure(Options options, String connect, PrintStream log) throws Exception {
        List<Contender> contenders = new ArrayList<>();
        try {
            RawContender raw = new RawContender(connect);
            contenders.add(raw);
            if (options.contenders().contains("reactive-zk")) {
                contenders.add(new ReactiveContender(connect));
            }
            if (options.contenders().contains("reactive-zk-metrics")) {
                // Micrometer timers, counters and gauges on every operation, as the WebFlux example publishes them.
                contenders.add(new ReactiveContender(
                        connect,
                        "reactive-zk-metrics",
                        io.reactivezk.ZooKeeperOptions.builder()
                                .metrics(io.reactivezk.metrics.ZooKeeperMetrics.micrometer(
                                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry()))
                                .build()));
            }
            if (options.contenders().contains("curator")) {
                contenders.add(new CuratorContender(connect));
            }
            ZooKeeper admin = raw.handle();
            byte[] payload = new byte[options.payloadBytes()];
            Arrays.fill(payload, (byte) 'x');
            String[] nodes = seed(admin, options.nodes(), payload);
            Meter meter = new Meter();
            List<Result> results = new ArrayList<>();
            int cell = 0;
            for (int round = -options.warmupRounds(); round < options.rounds(); round++) {
                for (Operation op : options.operations()) {
                    for (int window : options.windows()) {
                        List<Contender> order = new ArrayList<>(contenders);
                        Collections.rotate(order, Math.floorMod(round, order.size()));
                        for (Contender contender : order) {
                            IntFunction<String> paths;
                            String parent = null;
                            if (op == Operation.CREATE) {
                                parent = BASE + "/create/c" + cell;
                                admin.create(parent, new byte[0], openAcl(), CreateMode.PERSISTENT);
                                String prefix = parent + "/n";
                                paths = index -> prefix + index;
                            } else {
                                paths = index -> nodes[index % nodes.length];
                            }
                            cell++;
                            Window load = new Window(contender, op, paths, payload, options.opsPerCell(), window);
                            System.gc();
                            Meter.Sample before = meter.begin();
                            long wall = load.run(CELL_BOUND);
                            Meter.Sample cost = meter.end().minus(before);
                            if (parent != null) {
                                ZKUtil.deleteRecursive(admin, parent, 500);
                            }
                            Result result = new Result(
                                    round,
                                    op,
                                    window,
                                    contender.name(),
                                    options.opsPerCell(),
                                    wall,
                                    load.latencyMicros(0.5),
                                    load.latencyMicros(0.99),
                                    cost.cpuNanos(),
                                    cost.allocatedBytes(),
                                    cost.contextSwitches(),
                                    load.failures());
                            if (load.failures() > 0) {
                                log.printf(
                                        "%s %s W=%d: %d failures, first: %s%n",
                                        contender.name(), op.label(), window, load.failures(), load.firstFailure());
                            }
                            if (round >= 0) {
                                results.add(result);
                            }
                        }
                    }
                }
                log.printf(
                        Locale.ROOT,
                        "%s %d of %d done%n",
                        round < 0 ? "warm-up round" : "round",
                        round < 0 ? round + options.warmupRounds() + 1 : round + 1,
                        round < 0 ? options.warmupRounds() : options.rounds());
            }
            ZKUtil.deleteRecursive(admin, BASE, 500);
            return results;
        } finally {
            for (Contender contender : contenders) {
                contender.close();
            }
        }
    }

    private static String[] seed(ZooKeeper zk, int count, byte[] payload) throws Exception {
        if (zk.exists(BASE, false) != null) {
            ZKUtil.deleteRecursive(zk, BASE, 500);
        }
        zk.create(BASE, new byte[0], openAcl(), CreateMode.PERSISTENT);
        zk.create(BASE + "/nodes", new byte[0], openAcl(), CreateMode.PERSISTENT);
        zk.create(BASE + "/create", new byte[0], openAcl(), CreateMode.PERSISTENT);
        String[] paths = new String[count];
        for (int i = 0; i < count; i++) {
            paths[i] = String.format(Locale.ROOT, "%s/nodes/n%05d", BASE, i);
            zk.create(paths[i], payload, openAcl(), CreateMode.PERSISTENT);
        }
        return paths;
    }

    private static List<org.apache.zookeeper.data.ACL> openAcl() {
        return new ArrayList<>(ZooDefs.Ids.OPEN_ACL_UNSAFE);
    }

    /** The server the run uses: given, in-process, or (the default) a ZooKeeper server in its own JVM. */
    private record Server(String connectString, Runnable stop) implements AutoCloseable {

        @Override
        public void close() {
            stop.run();
        }

        static Server start(Options options, PrintStream log) throws IOException {
            if (options.connect() != null) {
                log.println("server: " + options.connect() + " (given)");
                return new Server(options.connect(), () -> {});
            }
            if (options.inProcessServer()) {
                EmbeddedZooKeeper embedded = EmbeddedZooKeeper.startNew();
                log.println("server: in-process ZooKeeper on " + embedded.connectString()
                        + " (its work counts against the client's CPU and allocation)");
                return new Server(embedded.connectString(), embedded::close);
            }
            // No fsync per write: the run measures clients, and a disk's latency would only add noise to all three.
            ForkedZooKeeper forked = ForkedZooKeeper.create(serverJars())
                    .withConfig("forceSync", "no")
                    // The advertisement-scale suite opens a thousand sessions from this one address.
                    .withConfig("maxClientCnxns", "0");
            forked.start();
            log.println("server: ZooKeeper " + forked.version() + " in its own JVM on " + forked.connectString()
                    + pinning(forked.pid()));
            return new Server(forked.connectString(), forked::close);
        }
    }

    /** A four-letter word's answer from the first server of a connect string. */
    static String fourLetterWord(String connectString, String word)
            throws IOException, X509Exception.SSLContextException {
        String first = connectString.split(",")[0];
        int colon = first.lastIndexOf(':');
        return FourLetterWordMain.send4LetterWord(
                first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)), word);
    }

    /**
     * On a Linux machine with at least two CPUs, the server's process on the last CPU and this one on the others, so
     * that neither steals the other's time slices in the middle of a cell (on two cores, the figures vary half as much
     * run to run). Without {@code taskset}, nothing is pinned.
     */
    private static String pinning(long serverPid) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2 || !Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            return " (not pinned to CPUs)";
        }
        String last = Integer.toString(cpus - 1);
        String others = cpus == 2 ? "0" : "0-" + (cpus - 2);
        boolean pinned = taskset(last, serverPid)
                && taskset(others, ProcessHandle.current().pid());
        return pinned ? "; server pinned to CPU " + last + ", clients to CPU " + others : " (pinning failed)";
    }

    private static boolean taskset(String cpus, long pid) {
        try {
            Process taskset = new ProcessBuilder("/usr/bin/taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return taskset.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A directory of links to the class path's jars, for a server in its own JVM with the same ZooKeeper version as
     * the clients. Without a logging backend: the server's log would cost the machine's CPU during the run.
     */
    private static Path serverJars() throws IOException {
        Path dir = Files.createTempDirectory("reactive-zk-bench-server-");
        dir.toFile().deleteOnExit();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (name.endsWith(".jar") && !name.startsWith("logback-")) {
                Path link = dir.resolve(name);
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar.toAbsolutePath());
                    link.toFile().deleteOnExit();
                }
            }
        }
        return dir;
    }
}
