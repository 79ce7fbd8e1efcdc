package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The container's core promises, checked against a ZooKeeper server that a subclass provides: {@link
 * ServerCompatibilityIT} (an embedded 3.9 server, or any server named on the command line) and {@link
 * LegacyServerCompatibilityIT} (a ZooKeeper 3.8 server in its own JVM).
 *
 * <p>Every test works in its own root and removes it afterwards, so a long-lived server can be used again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerCompatibility {

    private static final Logger log = LoggerFactory.getLogger(ServerCompatibility.class);
    private static final AtomicInteger ROOTS = new AtomicInteger();

    private String connectString;
    private ZooKeeperService service;
    private ZooKeeperContainer zk;
    private String root;

    /** A server the subclass started, closed after the last test. */
    private @Nullable AutoCloseable started;

    /**
     * Starts (or finds) the server and returns its connect string; called once, before the first test. A server it
     * starts is handed to {@link #closeAfterAll}.
     */
    abstract String startServer();

    /** Closes {@code server} after the last test. */
    final void closeAfterAll(AutoCloseable server) {
        started = server;
    }

    /** The server's watch count, in whatever unit it counts, for before/after comparisons. */
    abstract int serverWatchCount();

    @BeforeAll
    final void server() {
        connectString = startServer();
        log.info("{} against {}: {}", getClass().getSimpleName(), connectString, serverVersion(connectString));
    }

    @AfterAll
    final void closeServer() throws Exception {
        if (started != null) {
            started.close();
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
        Fixtures.removeRoot(zk);
        service.close(WAIT);
    }

    @Test
    void theServerIsReachableAndTheRootIsCreatedOnConnect() {
        assertThat(zk.execute(raw -> raw.exists(root, false)).block(WAIT)).isNotNull();
    }

    /** What the first server answers to the {@code srvr} four-letter word (whitelisted by default), or why not. */
    static String serverVersion(String connectString) {
        return fourLetterWord(connectString, "srvr").lines().findFirst().orElse("(empty reply to srvr)");
    }

    /** What the first server of a connect string answers to a four-letter word, or why it did not. */
    static String fourLetterWord(String connectString, String word) {
        String first = connectString.split(",")[0].split("/")[0];
        int colon = first.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
                    5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "(" + word + " not answered: " + e + ")";
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
            assertThat(refused.getMessage()).contains("/ttl").contains("extendedTypesEnabled");
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

    /**
     * A tree stream subscribed while a writer creates, changes and deletes nodes: each change is reported once (no
     * CREATED for a node already reported, no DELETED or DATA_CHANGED for one absent), and the stream ends on the
     * server's tree. Servers before 3.9 send notifications without a zxid, so this holds only if the changes that
     * arrive during the initial read are sorted without one.
     */
    @Test
    void aTreeStreamSubscribedWhileTheTreeChangesReportsEachChangeOnceAndEndsOnTheServersTree() {
        TreeModel model = TreeModel.ofABusyTree(zk);
        assertThat(model.inconsistencies()).isEmpty();
        assertThat(model.initializedCount()).as("one read, never started again").isEqualTo(1);
    }

    @Test
    void theLaterOperationsWorkOnThisServer() {
        zk.create("later/a/b", "1", CreateOptions.persistent().withParents()).block(WAIT);
        zk.advertise(Map.of("host", "h"), "later/run/App.").block(WAIT);

        assertThat(zk.getEphemerals("later/run/App.").block(WAIT)).hasSize(1);
        assertThat(zk.getAllChildrenNumber("later").block(WAIT)).isEqualTo(4);
        assertThat(zk.whoAmI().block(WAIT))
                .anySatisfy(id -> assertThat(id.scheme()).isEqualTo("ip"));
        assertThat(zk.getACL("later/a").block(WAIT).value()).hasSize(1);
        assertThat(zk.update("later/a/b", Integer.class, n -> n + 1).block(WAIT).value())
                .isEqualTo(2);
        zk.sync("later").block(WAIT);
        assertThat(zk.getChildrenAndStat("later").block(WAIT).value()).containsExactly("a", "run");
        assertThat(zk.getDataAll(List.of("later/a/b", "later/none")).block(WAIT))
                .extracting(NodeSnapshot::text)
                .containsExactly("2", null);
        assertThat(zk.getConfig().block(WAIT).members())
                .as("a standalone server")
                .isEmpty();
        StepVerifier.create(zk.reconfig(List.of(), List.of(1L), -1))
                .expectErrorSatisfies(
                        e -> assertThat(e).isInstanceOf(NodeException.class).hasMessageStartingWith("reconfig: "))
                .verify(WAIT);
    }

    @Test
    void cancelledStreamsLeaveNoWatchOnTheServer() {
        zk.create("w/x", "0", CreateOptions.persistent().withParents()).block(WAIT);
        int before = serverWatchCount();
        for (int round = 0; round < 3; round++) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Disposable streams = Disposables.composite(
                    zk.watchTree("w").subscribe(e -> seen.add("tree " + e.type())),
                    zk.watchData("w").subscribe(e -> seen.add("data w")),
                    zk.watchChildren("w").subscribe(e -> seen.add("children w")),
                    zk.watchData("w/x").subscribe(e -> seen.add("data x " + e.text())),
                    zk.watchTree("w/x").subscribe(e -> seen.add("tree x " + e.type())));
            zk.setData("w/x", "r" + round).block(WAIT);
            String changed = "data x r" + round;
            await().atMost(WAIT).until(() -> seen.contains(changed) && seen.contains("tree x DATA_CHANGED"));
            streams.dispose();
            await().atMost(WAIT).until(() -> serverWatchCount() == before);
        }
    }

    @Test
    void closingAContainerRemovesItsEphemeralNodesAndAdvertisementsAtOnce() {
        ZooKeeperContainer other = container(root);
        other.create("eph", "x", CreateOptions.of(CreateMode.EPHEMERAL)).block(WAIT);
        other.advertise(Map.of("host", "h"), "run/App.").block(WAIT);
        assertThat(zk.getChildren("run").block(WAIT)).hasSize(1);

        other.close(); // the blocking close of try-with-resources

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
