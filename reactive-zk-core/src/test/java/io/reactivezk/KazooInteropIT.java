package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.SessionExpirer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * reactive-zk and Kazoo, the Python client ASAB is built on, in one ZooKeeper tree: each reads what the other writes
 * and advertises, and each sees the other's changes through its watches.
 *
 * <p>Runs where a Python interpreter can import {@code kazoo} (Debian: {@code apt-get install python3-kazoo}; or set
 * {@code REACTIVE_ZK_PYTHON}) and is skipped elsewhere. The server is an embedded one, or the one named by the system
 * property {@code reactivezk.it.servers} (for instance a ZooKeeper server of another version), see {@link
 * #connectString}.
 */
@EnabledIf(
        value = "pythonWithKazoo",
        disabledReason = "no Python interpreter with Kazoo here (apt-get install python3-kazoo)")
class KazooInteropIT {

    private static final Logger log = LoggerFactory.getLogger(KazooInteropIT.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger ROOTS = new AtomicInteger();

    private static String python;
    private static @Nullable NamedOrEmbeddedServer server;
    private static String connectString;

    private ZooKeeperService service;
    private ZooKeeperContainer zk;
    private KazooPeer peer;
    private String root;

    /** Whether this machine has a Python that imports Kazoo; else JUnit reports the class skipped. */
    static boolean pythonWithKazoo() {
        return KazooPeer.python().isPresent();
    }

    @BeforeAll
    static void findPythonAndServer() {
        python = KazooPeer.python().orElseThrow();
        server = NamedOrEmbeddedServer.start();
        connectString = server.connectString;
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() {
        root = "/interop-" + ProcessHandle.current().pid() + "-" + ROOTS.incrementAndGet();
        service = Fixtures.service();
        zk = service.container("zookeeper://" + connectString + root);
        Fixtures.awaitConnected(zk);
        peer = KazooPeer.start(python, connectString);
    }

    @AfterEach
    void close() {
        peer.close();
        Fixtures.removeRoot(zk);
        service.close(WAIT);
    }

    @Test
    void kazooTalksToTheSameServer() {
        log.info("Kazoo peer ({}) on ZooKeeper server {}", python, ServerCompatibility.serverVersion(connectString));
        assertThat(peer.call("session").get("session").asLong()).isNotZero();
    }

    @Test
    void aReactiveZkAdvertisementReadsInKazooAsTheSameJson() {
        AsabService data =
                AsabService.of("JavaApp", "java-host").withWeb("0.0.0.0", 8080).withIds("Zürich-1", null, null, null);
        Advertisement ad = zk.advertise(data, AsabService.path("JavaApp")).block(WAIT);
        String node = ad.node().orElseThrow();

        List<String> seen = peer.children(root + "/run");
        assertThat(seen).containsExactly(node.substring("/run/".length()));
        assertThat(seen.get(0)).matches("JavaApp\\.\\d{10}");
        byte[] bytes = peer.data(root + node);
        assertThat(JSON.readValue(bytes, AsabService.class)).isEqualTo(data);
        assertThat(JSON.readTree(bytes).propertyNames())
                .containsExactlyInAnyOrder("host", "appclass", "launch_time", "process_id", "instance_id", "web");
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("Zürich");
        assertThat(peer.owner(root + node)).isEqualTo(zk.connectionEvent().sessionId());
    }

    @Test
    void anAsabAdvertisementWrittenByKazooReadsInReactiveZk() {
        Map<String, Object> data = Map.of(
                "host", "python-host",
                "appclass", "PyApp",
                "launch_time", "2026-11-25T10:00:00.000000Z",
                "process_id", 77,
                "site", "Zürich",
                "discovery", Map.of("custom", List.of("a", "b")),
                "web", List.of(List.of("::", 8894, 0, 0)));
        String node = peer.call("advertise", "path", root + "/run/PyApp.", "data", data)
                .get("node")
                .asString();
        String name = node.substring(node.lastIndexOf('/') + 1);

        assertThat(zk.getChildren("run").block(WAIT)).containsExactly(name);
        JsonNode read = zk.getData("run/" + name).block(WAIT);
        assertThat(read).isEqualTo(JSON.valueToTree(data));
        assertThat(read.get("site").asString()).isEqualTo("Zürich");
        AsabService typed = zk.getData("run/" + name, AsabService.class).block(WAIT);
        assertThat(typed.appclass()).isEqualTo("PyApp");
        assertThat(typed.processId()).isEqualTo(77);
        assertThat(typed.discovery()).containsEntry("custom", List.of("a", "b"));
        assertThat(typed.web()).containsExactly(List.of("::", 8894, 0, 0));
        // Python's json.dumps: ", " and ": " separators, non-ASCII escaped; reactive-zk keeps those bytes as they are
        assertThat(new String(zk.getRawData("run/" + name).block(WAIT), StandardCharsets.US_ASCII))
                .contains("\"host\": \"python-host\"")
                .contains("\\u00fc");
    }

    @Test
    void kazoosDataWatchSeesReactiveZkWrites() {
        String path = root + "/config/feature";
        peer.call("watch", "path", path);
        await().atMost(WAIT).until(() -> peer.watched(path), values -> values.size() == 1 && values.get(0) == null);

        zk.upsert("config/feature", Map.of("enabled", true)).block(WAIT);
        await().atMost(WAIT).until(() -> last(peer.watched(path)), "{\"enabled\":true}"::equals);
        zk.setData("config/feature", "plain text").block(WAIT);
        await().atMost(WAIT).until(() -> last(peer.watched(path)), "plain text"::equals);
        zk.delete("config/feature").block(WAIT);
        await().atMost(WAIT).until(() -> peer.watched(path), values -> last(values) == null && values.size() > 1);
    }

    @Test
    void reactiveZkWatchesSeeKazooWritesInOrder() {
        List<@Nullable String> values = new CopyOnWriteArrayList<>();
        Disposable watching = zk.watchData("settings").subscribe(snapshot -> values.add(snapshot.text()));
        try {
            await().atMost(WAIT).until(() -> values, v -> v.size() == 1 && v.get(0) == null);

            peer.call("create", "path", root + "/settings", "data", Map.of("v", 1));
            await().atMost(WAIT).until(() -> last(values), "{\"v\": 1}"::equals);
            peer.call("set", "path", root + "/settings", "data", Map.of("v", 2));
            await().atMost(WAIT).until(() -> last(values), "{\"v\": 2}"::equals);
            assertThat(zk.getData("settings").block(WAIT).get("v").asInt()).isEqualTo(2);
            assertThat(values).containsExactly(null, "{\"v\": 1}", "{\"v\": 2}");
        } finally {
            watching.dispose();
        }
    }

    @Test
    void aKazooServiceThatStopsLeavesReactiveZkDiscovery() {
        List<List<String>> membership = new CopyOnWriteArrayList<>();
        zk.ensurePath("run").block(WAIT);
        Disposable watching =
                zk.watchChildren("run").subscribe(snapshot -> membership.add(List.copyOf(snapshot.children())));
        try {
            try (KazooPeer other = KazooPeer.start(python, connectString)) {
                String node = other.call("advertise", "path", root + "/run/PyApp.", "data", Map.of("host", "b"))
                        .get("node")
                        .asString();
                String name = node.substring(node.lastIndexOf('/') + 1);
                await().atMost(WAIT).until(() -> last(membership), List.of(name)::equals);
            }
            // closing the peer closed its session: its ephemeral node is gone at once, not after a timeout
            await().atMost(WAIT).until(() -> last(membership), List::isEmpty);
        } finally {
            watching.dispose();
        }
        assertThat(membership.get(0)).isEmpty();
    }

    @Test
    void afterAGenuineExpiryKazooSeesExactlyOneAdvertisementOwnedByTheNewSession() {
        Advertisement ad =
                zk.advertise(Map.of("host", "java-host"), "run/JavaApp.").block(WAIT);
        ConnectionEvent before = zk.connectionEvent();

        SessionExpirer.expire(zk.zooKeeper(), connectString);

        await().atMost(WAIT).until(() -> zk.connectionEvent().epoch() > before.epoch() && zk.isConnected());
        long session = zk.connectionEvent().sessionId();
        await().atMost(WAIT).until(() -> {
            List<String> children = peer.children(root + "/run");
            return children.size() == 1 && peer.owner(root + "/run/" + children.get(0)) == session;
        });
        assertThat(ad.node()).contains("/run/" + peer.children(root + "/run").get(0));
    }

    private static <T> @Nullable T last(List<T> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    @Test
    void discoveryFindsAnAsabAdvertisementWrittenByKazooAndLocatesItAsAsabDoes() {
        Map<String, Object> data = Map.of(
                "host", "py-host",
                "appclass", "PyApp",
                "launch_time", "2026-12-01T10:00:00.000000Z",
                "process_id", 4242,
                "instance_id", "py-1",
                "service_id", "py",
                "web", List.of(List.of("0.0.0.0", 8080), List.of("127.0.0.1", 9000)));
        peer.call("advertise", "path", root + "/run/PyApp.", "data", data);

        io.reactivezk.recipe.ServiceDiscovery discovery = io.reactivezk.recipe.ServiceDiscovery.of(zk);

        assertThat(discovery.current("PyApp").block(WAIT))
                .singleElement()
                .satisfies(instance -> assertThat(instance.instanceId()).isEqualTo("py-1"));
        assertThat(discovery.locate("py-1").block(WAIT)).containsExactly("http://py-host:8080");
        assertThat(discovery.locate("service_id", "py").block(WAIT)).containsExactly("http://py-host:8080");
    }

    @Test
    void aJavaCandidateAndAnAsabStyleKazooCandidateElectOneLeaderBetweenThem() {
        String election = root + "/election/main";
        peer.call("elect", "path", election, "data", "instance_id: py-1\n");
        await().atMost(WAIT)
                .until(() ->
                        peer.call("elected", "path", election).get("leader").asBoolean());

        List<io.reactivezk.recipe.Leadership> views = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.Disposable java = io.reactivezk.recipe.LeaderElection.of(zk)
                .join("main", io.reactivezk.recipe.LeaderElection.asabCandidateData("java-1", null, null))
                .subscribe(views::add);
        try {
            await().alias("the Java candidate follows the Kazoo leader")
                    .atMost(WAIT)
                    .until(() -> !views.isEmpty()
                            && views.get(views.size() - 1).role() == io.reactivezk.recipe.Leadership.Role.FOLLOWER);
            assertThat(views.get(views.size() - 1).leaderText()).isEqualTo("instance_id: py-1\n");
            assertThat(peer.call("elected", "path", election).get("leader").asBoolean())
                    .isTrue();

            peer.call("step_down", "path", election);
            await().alias("the Java candidate leads once the Kazoo leader steps down")
                    .atMost(WAIT)
                    .until(() -> views.get(views.size() - 1).isLeader());
            assertThat(peer.call("elected", "path", election).get("leader").asBoolean())
                    .isFalse();

            peer.call("elect", "path", election, "data", "instance_id: py-1\n");
            await().alias("the Kazoo candidate follows the Java leader")
                    .atMost(WAIT)
                    .until(() -> peer.children(root + "/election").contains("main")
                            && !peer.call("elected", "path", election)
                                    .get("leader")
                                    .asBoolean());
            assertThat(views.get(views.size() - 1).isLeader()).isTrue();
        } finally {
            java.dispose();
        }
        await().alias("the Kazoo candidate leads once the Java candidate withdraws")
                .atMost(WAIT)
                .until(() ->
                        peer.call("elected", "path", election).get("leader").asBoolean());
    }
}
