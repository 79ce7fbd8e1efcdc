package io.reactivezk.examples;

import io.reactivezk.ConnectionEvent;
import io.reactivezk.DataFormatException;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
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

    private void demo(ZooKeeperConfig config) {
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

            step("3. Seed some service descriptions (raw handle via execute, on the blocking scheduler)");
            zk.execute(handle -> {
                        create(handle, zk.resolvePath("services"), "");
                        create(handle, zk.resolvePath("services/api"), "{\"host\":\"10.0.0.1\",\"port\":8080}");
                        create(handle, zk.resolvePath("services/auth"), "{\"host\":\"10.0.0.2\",\"port\":8443}");
                        create(handle, zk.resolvePath("services/legacy"), "plain text, not JSON");
                        return "seeded";
                    })
                    .block(WAIT);
            out.println("   created services/api, services/auth, services/legacy");

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

            step("5. A missing node is an empty Mono, not an error and not {}");
            boolean missing = zk.getData("services/nope").blockOptional(WAIT).isEmpty();
            out.println("   getData(\"services/nope\") is empty: " + missing);

            step("6. Bad input fails at call time with a message naming it");
            try {
                zk.getData("services/../secrets");
            } catch (IllegalArgumentException e) {
                out.println("   " + e.getMessage());
            }

            step("7. Clean up and close: the final state is LOST, then the stream completes");
            zk.execute(handle -> {
                        org.apache.zookeeper.ZKUtil.deleteRecursive(
                                handle, zk.spec().rootPath());
                        return "deleted";
                    })
                    .block(WAIT);
            zk.close().block(WAIT);
            states.dispose();
        } finally {
            service.close(WAIT);
        }
        out.println();
        out.println("Done.");
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    private static String describe(ConnectionEvent event) {
        return event.state()
                + (event.sessionId() == 0
                        ? " (no session yet)"
                        : " (session " + event.sessionIdHex() + ", epoch " + event.epoch() + ")");
    }

    private static void create(ZooKeeper handle, String path, String text) throws Exception {
        if (handle.exists(path, false) == null) {
            handle.create(
                    path, text.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }
}
