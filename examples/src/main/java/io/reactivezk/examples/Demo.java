package io.reactivezk.examples;

import io.reactivezk.Advertisement;
import io.reactivezk.AsabService;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.DataFormatException;
import io.reactivezk.NodeException;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.Versioned;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.recipe.DistributedLock;
import io.reactivezk.recipe.LeaderElection;
import io.reactivezk.recipe.Leadership;
import io.reactivezk.recipe.ServiceDiscovery;
import io.reactivezk.recipe.ServiceInstances;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The main demo: what reactive-zk does, step by step, with readable output.
 *
 * <p>Servers come from, in order: a config file given as the first argument ({@code [zookeeper] servers=...}, ASAB
 * style), the {@code ASAB_ZOOKEEPER_SERVERS} environment variable, or an embedded ZooKeeper started for the demo.
 * The demo works under its own root path ({@code /reactive-zk-demo}) and removes it at the end.
 */
public final class Demo {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROOT = "/reactive-zk-demo";

    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @param args optionally, the path of an ASAB-style config file with a {@code [zookeeper]} section
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        new Demo(System.out).run(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
    }

    void run(@Nullable Path configFile, Map<String, String> environment) throws Exception {
        ZooKeeperConfig config = configFile != null && Files.exists(configFile)
                ? ZooKeeperConfig.fromIni(configFile)
                : ZooKeeperConfig.empty();
        config = config.withEnvironment(environment);
        boolean configured = config.get("zookeeper", "servers").isPresent()
                || config.environment("ASAB_ZOOKEEPER_SERVERS").isPresent();
        EmbeddedZooKeeper embedded = null;
        if (!configured) {
            embedded = EmbeddedZooKeeper.startNew();
            config = config.withEnvironment(Map.of("ASAB_ZOOKEEPER_SERVERS", embedded.connectString()));
            out.println("No servers configured: started an embedded ZooKeeper on " + embedded.connectString());
        }
        try {
            demo(config);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private void demo(ZooKeeperConfig config) throws InterruptedException {
        ZooKeeperService service = ZooKeeperService.create(config);
        try {
            step("1. Resolve a container from a zookeeper:// URL (servers from config or ASAB_ZOOKEEPER_SERVERS)");
            ZooKeeperContainer zk = service.container("zookeeper:///" + ROOT.substring(1));
            out.println("   servers: " + zk.spec().servers() + "   root path: "
                    + zk.spec().rootPath());

            step("2. Watch the connection state: a hot stream that replays the current state");
            Disposable states = zk.connectionEvents().subscribe(event -> out.println("   state -> " + describe(event)));
            zk.states()
                    .filter(state -> state == io.reactivezk.ConnectionState.CONNECTED)
                    .blockFirst(WAIT);
            io.reactivezk.EnsembleConfig ensemble = zk.getConfig().block(WAIT);
            out.println("   ensemble (getConfig): "
                    + (ensemble == null || ensemble.members().isEmpty()
                            ? "a standalone server, no members listed"
                            : ensemble.members().size() + " members, configuration version 0x"
                                    + Long.toHexString(ensemble.version())));

            step("3. Write service descriptions: records and maps become JSON, strings UTF-8 (as ASAB does)");
            zk.upsert("services/api", new Endpoint("10.0.0.1", 8080)).block(WAIT);
            zk.upsert("services/auth", Map.of("host", "10.0.0.2", "port", 8443)).block(WAIT);
            zk.upsert("services/legacy", "plain text, not JSON").block(WAIT);
            out.println("   upsert services/api, services/auth, services/legacy (parents created as needed)");

            step("4. Compose reads: getChildren, then getData (JSON) for each child");
            Flux.defer(() -> zk.getChildren("services"))
                    .flatMapIterable(children -> children)
                    .concatMap(name -> zk.getData("services/" + name)
                            .map(json ->
                                    "   " + name + " -> " + json.get("host").asString() + ":"
                                            + json.get("port").asInt())
                            .onErrorResume(
                                    DataFormatException.class,
                                    e -> zk.getRawData("services/" + name)
                                            .map(raw -> "   " + name + " is not JSON ("
                                                    + e.getClass().getSimpleName() + "); raw bytes: \""
                                                    + new String(raw, StandardCharsets.UTF_8) + "\"")))
                    .doOnNext(out::println)
                    .blockLast(WAIT);
            Endpoint api = zk.getData("services/api", Endpoint.class).block(WAIT);
            out.println("   typed read: " + api);

            step("5. Watch a node as a stream: the current value first, then every change (latest value wins)");
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            Disposable watch = zk.watchData("services/api", Endpoint.class)
                    .subscribe(value -> seen.add(
                            value.exists()
                                    ? "   watch: services/api = " + value.value()
                                    : "   watch: services/api is gone"));
            out.println(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            zk.setData("services/api", new Endpoint("10.0.0.3", 8081)).block(WAIT);
            out.println(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            zk.delete("services/api").block(WAIT);
            out.println(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            zk.create("services/api", new Endpoint("10.0.0.1", 8080)).block(WAIT);
            out.println(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            watch.dispose();

            step("6. A missing node is an empty Mono, not an error and not {}");
            boolean missing = zk.getData("services/nope").blockOptional(WAIT).isEmpty();
            out.println("   getData(\"services/nope\") is empty: " + missing);

            step("7. Bad input fails at call time with a message naming it; conflicts name path and version");
            try {
                zk.getData("services/../secrets");
            } catch (IllegalArgumentException e) {
                out.println("   " + e.getMessage());
            }
            try {
                zk.setData("services/api", new Endpoint("10.0.0.9", 9090), 0).block(WAIT);
                zk.setData("services/api", new Endpoint("10.0.0.7", 7070), 0).block(WAIT);
            } catch (NodeException.BadVersionException e) {
                out.println("   " + e.getMessage());
            }

            step("8. Read-modify-write without lost updates: update() writes only at the version it read, and"
                    + " retries");
            zk.upsert("stats/visits", 0).block(WAIT);
            Flux.range(0, 20)
                    .flatMap(i -> zk.update("stats/visits", Integer.class, visits -> visits + 1), 4)
                    .blockLast(WAIT);
            Versioned<Integer> visits =
                    zk.getDataAndStat("stats/visits", Integer.class).block(WAIT);
            out.println("   20 concurrent increments: stats/visits = " + visits.value() + " at version "
                    + visits.version());
            List<NodeSnapshot> many = zk.getDataAll(List.of("services/auth", "stats/visits", "services/nope"))
                    .block(WAIT);
            out.println("   three nodes in one round trip: "
                    + many.stream()
                            .map(node -> node.path() + "=" + (node.exists() ? node.text() : "(missing)"))
                            .toList());

            step(
                    "9. Advertise this service: an ephemeral sequential node in ASAB's format, so ASAB discovery finds it");
            String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
            AsabService me = AsabService.of("DemoApp", host).withWeb("0.0.0.0", 8080);
            Advertisement ad = zk.advertise(me, AsabService.path("DemoApp")).block(WAIT);
            out.println("   advertised at " + ad.node().orElseThrow() + ": "
                    + zk.getData(ad.node().orElseThrow()).block(WAIT));

            step("10. Expire the session for real: the advertisement comes back by itself, exactly once");
            long epoch = zk.connectionEvent().epoch();
            SessionExpirer.expire(zk.zooKeeper(), zk.spec().connectString());
            String back = ad.nodes()
                    .filter(node -> zk.connectionEvent().epoch() > epoch)
                    .blockFirst(WAIT);
            out.println("   re-advertised at " + back + "; nodes under run/: "
                    + zk.getChildren("run").block(WAIT));

            step("11. Read an ASAB site configuration as ASAB reads it: a file, an include glob, ${THIS_DIR}, an"
                    + " environment variable and a ZooKeeper node, without blocking");
            showSiteConfiguration(service, zk);

            step("12. Coordination recipes in ASAB's layout: discovery, a fenced leader election, a lock");
            showRecipes(zk);

            step("13. Withdraw, clean up and close: the final state is LOST, then the stream completes");
            ad.withdraw().block(WAIT);
            zk.deleteRecursive("").block(WAIT);
            zk.closeAsync().block(WAIT);
            states.dispose();
        } finally {
            service.close(WAIT);
        }
        out.println();
        out.println("Done.");
    }

    private void showRecipes(ZooKeeperContainer zk) {
        ServiceInstances apps = ServiceDiscovery.of(zk).current("DemoApp").block(WAIT);
        out.println("   discovery: " + apps.size() + " DemoApp instance(s) at "
                + apps.stream().flatMap(app -> app.urls().stream()).toList());
        zk.upsert("reports/latest", "").block(WAIT);
        Leadership leadership = LeaderElection.of(zk)
                .join("demo", LeaderElection.asabCandidateData("demo-1", "demo", null))
                .filter(Leadership::isLeader)
                .concatMap(leader -> leader.guard(zk.transaction()) // the write fails if leadership was lost
                        .setData("reports/latest", "written by the leader", -1)
                        .commit()
                        .thenReturn(leader))
                .blockFirst(WAIT); // then the stream is cancelled: the candidate's node is deleted at once
        out.println("   election 'demo': " + leadership.role() + " (fencing token 0x"
                + Long.toHexString(leadership.token()) + "); its guarded write: "
                + zk.getRawData("reports/latest").map(String::new).block(WAIT));
        zk.upsert("stats/locked", 0).block(WAIT);
        Integer total = Flux.range(0, 5)
                .flatMap(i -> DistributedLock.of(zk)
                        .withLock(
                                "locks/demo",
                                () -> zk.getData("stats/locked", Integer.class)
                                        .flatMap(n -> zk.setData("stats/locked", n + 1)
                                                .thenReturn(n + 1))))
                .reduce(Math::max)
                .block(WAIT);
        out.println("   lock: 5 concurrent read-increment-writes under locks/demo -> stats/locked = " + total);
    }

    private void showSiteConfiguration(ZooKeeperService service, ZooKeeperContainer zk) {
        zk.upsert("etc/site.json", Map.of("app", Map.of("replicas", 3), "zookeeper", Map.of("timeout", "5s")))
                .block(WAIT);
        Path dir;
        try {
            dir = Files.createTempDirectory("reactive-zk-demo-config");
            Files.createDirectories(dir.resolve("site.d"));
            Files.writeString(dir.resolve("site.d/region.conf"), "[app]\nregion = $DEMO_REGION\n");
            Files.writeString(
                    dir.resolve("site.conf"),
                    String.join(
                            "\n",
                            "[zookeeper]",
                            "servers = " + String.join(",", zk.spec().servers()),
                            "path = " + ROOT,
                            "[app]",
                            "name = demo",
                            "[general]",
                            "include =",
                            "    ${THIS_DIR}/site.d/*.conf",
                            "    zookeeper:./etc/site.json",
                            ""));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println(
                "   site.conf includes ${THIS_DIR}/site.d/*.conf (region = $DEMO_REGION) and zookeeper:./etc/site.json");
        ZooKeeperConfig site = ZooKeeperConfig.loader()
                .environment(Map.of("DEMO_REGION", "eu-west"))
                .loadAsync(dir.resolve("site.conf"), service)
                .block(WAIT);
        out.println("   read, in order: "
                + site.sources().stream()
                        .map(source -> source.startsWith("zookeeper")
                                ? source
                                : dir.relativize(Path.of(source)).toString())
                        .toList());
        out.println("   [app] " + new java.util.TreeMap<>(site.section("app")));
        out.println("   [zookeeper] " + new java.util.TreeMap<>(site.section("zookeeper")));
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    /** A service endpoint, stored as JSON. */
    record Endpoint(String host, int port) {}

    private static String describe(ConnectionEvent event) {
        return event.state()
                + (event.sessionId() == 0
                        ? " (no session yet)"
                        : " (session " + event.sessionIdHex() + ", epoch " + event.epoch() + ")");
    }
}
