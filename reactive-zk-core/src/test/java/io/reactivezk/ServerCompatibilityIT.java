package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * The container's core promises against any ZooKeeper server: an embedded one by default, or the servers named by
 * the system property {@code reactivezk.it.servers}, for instance a server of another ZooKeeper version in its own
 * process:
 *
 * <pre>{@code
 * mvn -B -pl reactive-zk-core -am verify -Dtest=none -Dit.test='ServerCompatibilityIT,KazooInteropIT' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dreactivezk.it.servers=127.0.0.1:2281
 * }</pre>
 *
 * Every test works in its own root and removes it afterwards, so a long-lived server can be used again.
 */
class ServerCompatibilityIT {

    private static final Logger log = LoggerFactory.getLogger(ServerCompatibilityIT.class);
    private static final AtomicInteger ROOTS = new AtomicInteger();

    private static @Nullable EmbeddedZooKeeper embedded;
    private static String connectString;

    private ZooKeeperService service;
    private ZooKeeperContainer zk;
    private String root;

    @BeforeAll
    static void server() {
        String external = System.getProperty("reactivezk.it.servers", "");
        if (external.isBlank()) {
            embedded = EmbeddedZooKeeper.startNew();
            connectString = embedded.connectString();
        } else {
            connectString = external;
        }
    }

    @AfterAll
    static void stopServer() {
        if (embedded != null) {
            embedded.close();
        }
    }

    @BeforeEach
    void connect() {
        root = "/compat-" + ProcessHandle.current().pid() + "-" + ROOTS.incrementAndGet();
        service = Fixtures.service();
        zk = container(root);
    }

    private ZooKeeperContainer container(String rootPath) {
        ZooKeeperContainer container = service.container("zookeeper://" + connectString + rootPath);
        Fixtures.awaitConnected(container);
        return container;
    }

    @AfterEach
    void removeRoot() {
        zk.deleteRecursive("/")
                .then(zk.execute(raw -> {
                    raw.delete(root, -1);
                    return null;
                }))
                .onErrorComplete()
                .block(WAIT);
        service.close(WAIT);
    }

    @Test
    void theServerIsReachableAndTheRootIsCreatedOnConnect() {
        log.info("server {}: {}", connectString, serverVersion(connectString));
        assertThat(zk.execute(raw -> raw.exists(root, false)).block(WAIT)).isNotNull();
    }

    /** What the first server answers to the {@code srvr} four-letter word (whitelisted by default), or why not. */
    static String serverVersion(String connectString) {
        String first = connectString.split(",")[0].split("/")[0];
        int colon = first.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                    5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return reply.lines().findFirst().orElse("(empty reply to srvr)");
        } catch (IOException | RuntimeException e) {
            return "(srvr not answered: " + e + ")";
        }
    }

    @Test
    void aGetChildrenThenGetDataPipelineReadsAHundredNodes() {
        Flux.range(0, 100)
                .flatMap(i -> zk.create(
                        "items/item-" + i,
                        Map.of("i", i),
                        CreateOptions.persistent().withParents()))
                .blockLast(WAIT);

        List<Integer> values = zk.getChildren("items")
                .flatMapMany(Flux::fromIterable)
                .flatMap(child -> zk.getData("items/" + child))
                .map(json -> json.get("i").asInt())
                .sort()
                .collectList()
                .block(WAIT);

        assertThat(values).hasSize(100).startsWith(0, 1, 2).endsWith(99);
    }

    @Test
    void everyCreateModeAndItsErrors() {
        CreateOptions withParents = CreateOptions.persistent().withParents();
        assertThat(zk.create("modes/persistent", "p", withParents).block(WAIT)).isEqualTo("/modes/persistent");
        assertThat(zk.create("modes/eph", "e", CreateOptions.of(CreateMode.EPHEMERAL))
                        .block(WAIT))
                .isEqualTo("/modes/eph");
        assertThat(zk.create("modes/seq-", "s", CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL))
                        .block(WAIT))
                .matches("/modes/seq-\\d{10}");
        assertThat(zk.create("modes/eseq-", "s", CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL))
                        .block(WAIT))
                .matches("/modes/eseq-\\d{10}");
        assertThat(zk.create("modes/container", "", CreateOptions.of(CreateMode.CONTAINER))
                        .block(WAIT))
                .isEqualTo("/modes/container");
        Stat eph = zk.exists("modes/eph").block(WAIT);
        assertThat(eph.getEphemeralOwner()).isEqualTo(zk.connectionEvent().sessionId());

        assertThatThrownBy(() -> zk.create("modes/persistent", "again").block(WAIT))
                .isInstanceOf(NodeException.NodeExistsException.class)
                .hasMessageContaining("/modes/persistent");
        assertThatThrownBy(() -> zk.create("missing/child", "x").block(WAIT))
                .isInstanceOf(NodeException.NoNodeException.class);
        assertThatThrownBy(() -> zk.delete("modes").block(WAIT)).isInstanceOf(NodeException.NotEmptyException.class);
        assertThatThrownBy(() -> zk.setData("modes/persistent", "x", 7).block(WAIT))
                .isInstanceOf(NodeException.BadVersionException.class)
                .hasMessageContaining("7");
    }

    @Test
    void aTtlNodeIsCreatedOrRefusedWithAClearError() {
        CreateOptions ttl = CreateOptions.builder()
                .mode(CreateMode.PERSISTENT_WITH_TTL)
                .ttl(Duration.ofMinutes(5))
                .build();
        try {
            assertThat(zk.create("ttl", "t", ttl).block(WAIT)).isEqualTo("/ttl");
            log.info("server {} accepts TTL nodes", connectString);
        } catch (NodeException refused) {
            log.info("server {} refuses TTL nodes: {}", connectString, refused.getMessage());
            assertThat(refused.getMessage()).contains("/ttl");
            assertThat(zk.isConnected()).isTrue();
        }
    }

    @Test
    void aTransactionCommitsAsAWholeOrNotAtAll() {
        zk.create("tx", "v0").block(WAIT);
        List<OpResult> results = zk.transaction()
                .check("tx", 0)
                .setData("tx", "v1", 0)
                .create("tx/a", "a")
                .commit()
                .block(WAIT);
        assertThat(results).hasSize(3);

        assertThatThrownBy(() -> zk.transaction()
                        .create("tx/b", "b")
                        .setData("tx", "v2", 0)
                        .commit()
                        .block(WAIT))
                .isInstanceOf(NodeException.BadVersionException.class);
        assertThat(zk.getChildren("tx").block(WAIT)).containsExactly("a");
        assertThat(new String(zk.getRawData("tx").block(WAIT))).isEqualTo("v1");
    }

    @Test
    void dataChildrenAndTreeStreamsFollowChanges() {
        zk.ensurePath("tree").block(WAIT);
        List<@Nullable String> data = new CopyOnWriteArrayList<>();
        List<List<String>> children = new CopyOnWriteArrayList<>();
        List<String> tree = new CopyOnWriteArrayList<>();
        Disposable streams = Disposables.composite(
                zk.watchData("tree/a").subscribe(s -> data.add(s.text())),
                zk.watchChildren("tree").subscribe(s -> children.add(List.copyOf(s.children()))),
                zk.watchTree("tree").subscribe(e -> tree.add(e.type() + (e.isMarker() ? "" : " " + e.path()))));
        try {
            await().atMost(WAIT).until(() -> tree.contains("INITIALIZED") && !data.isEmpty() && !children.isEmpty());
            zk.create("tree/a", "1").block(WAIT);
            zk.create("tree/a/b", "nested").block(WAIT);
            zk.setData("tree/a", "2").block(WAIT);
            zk.deleteRecursive("tree/a").block(WAIT);

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(data).containsExactly(null, "1", "2", null);
                assertThat(children).containsSubsequence(List.of(), List.of("a"), List.of());
                assertThat(children).last().isEqualTo(List.of());
                assertThat(tree)
                        .containsExactly(
                                "PRESENT /tree",
                                "INITIALIZED",
                                "CREATED /tree/a",
                                "CREATED /tree/a/b",
                                "DATA_CHANGED /tree/a",
                                "DELETED /tree/a/b",
                                "DELETED /tree/a");
            });
        } finally {
            streams.dispose();
        }
    }

    @Test
    void closingAContainerRemovesItsEphemeralNodesAndAdvertisementsAtOnce() {
        ZooKeeperContainer other = container(root);
        other.create("eph", "x", CreateOptions.of(CreateMode.EPHEMERAL)).block(WAIT);
        other.advertise(Map.of("host", "h"), "run/App.").block(WAIT);
        assertThat(zk.getChildren("run").block(WAIT)).hasSize(1);

        other.close().block(WAIT);

        assertThat(zk.exists("eph").block(WAIT)).isNull();
        assertThat(zk.getChildren("run").block(WAIT)).isEmpty();
    }

    @Test
    void anOversizedPayloadIsRefusedBeforeSendingAndTheSessionLives() {
        long session = zk.connectionEvent().sessionId();
        assertThatThrownBy(() -> zk.create("big", new byte[2 * 1024 * 1024]).block(WAIT))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThat(zk.create("small", "ok").block(WAIT)).isEqualTo("/small");
        assertThat(zk.connectionEvent().sessionId()).isEqualTo(session);
    }
}
