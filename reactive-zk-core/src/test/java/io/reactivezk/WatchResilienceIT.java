package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.TreeEvent.Type;
import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Watch streams on an ensemble whose members stop and whose sessions expire for real: every stream goes on without
 * an error, marks what it re-read, and ends on the server's final state.
 */
class WatchResilienceIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");
    private static final AtomicInteger ROOTS = new AtomicInteger();

    private static EmbeddedEnsemble ensemble;
    private static ZooKeeper adminClient;

    private ZooKeeperService service;
    private Nodes admin;
    private String root;

    @BeforeAll
    static void startEnsemble() {
        ensemble = EmbeddedEnsemble.startNew(3);
        adminClient = SharedZooKeeper.connect(ensemble.connectString());
    }

    @AfterAll
    static void stopEnsemble() throws InterruptedException {
        adminClient.close(5_000);
        ensemble.close();
    }

    @BeforeEach
    void everyMemberServes(TestInfo test) {
        ensemble.startAll();
        ensemble.awaitQuorum(Duration.ofSeconds(30));
        service = Fixtures.service(ZooKeeperOptions.builder()
                .operationTimeout(Duration.ofSeconds(5))
                .build());
        admin = new Nodes(adminClient);
        root = "/resilience-" + ROOTS.incrementAndGet();
        admin.create(root, "");
    }

    @AfterEach
    void closeService() {
        service.close(WAIT);
    }

    /** Records every element and error of a stream. */
    static final class Recorder<T> implements AutoCloseable {
        final List<T> elements = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicInteger completions = new AtomicInteger();
        final Disposable subscription;

        Recorder(Flux<T> stream) {
            subscription = stream.subscribe(elements::add, error::set, completions::incrementAndGet);
        }

        T last() {
            return elements.get(elements.size() - 1);
        }

        @Override
        public void close() {
            subscription.dispose();
        }
    }

    @Test
    void aStoppedMemberSuspendsTheStreamsAndTheReconnectionResyncsWhatChangedMeanwhile() {
        int follower = (ensemble.leader() + 1) % ensemble.size();
        ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString(follower) + root);
        Fixtures.awaitConnected(zk);
        long session = zk.connectionEvent().sessionId();
        admin.create(root + "/config", "before");
        admin.create(root + "/members", "");
        admin.create(root + "/members/a", "");

        try (Recorder<NodeSnapshot> data = new Recorder<>(zk.watchData("config"));
                Recorder<ChildrenSnapshot> children = new Recorder<>(zk.watchChildren("members"));
                Recorder<TreeEvent> tree = new Recorder<>(zk.watchTree("members"))) {
            await().atMost(WAIT)
                    .until(() -> !data.elements.isEmpty()
                            && !children.elements.isEmpty()
                            && tree.elements.stream().anyMatch(e -> e.type() == Type.INITIALIZED));

            long stopped = System.nanoTime();
            ensemble.stop(follower);
            await().atMost(WAIT).until(() -> zk.state() == ConnectionState.SUSPENDED);
            admin.set(root + "/config", "while-away");
            admin.create(root + "/members/b", "");
            ensemble.start(follower);
            ensemble.awaitQuorum(Duration.ofSeconds(30));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(data.last().text()).isEqualTo("while-away");
                assertThat(children.last().children()).containsExactly("a", "b");
            });
            timings.info(
                    "member stop: data resynchronised {} ms after the stop",
                    Duration.ofNanos(System.nanoTime() - stopped).toMillis());
            assertThat(zk.connectionEvent().sessionId()).as("same session").isEqualTo(session);
            assertThat(data.last().resync()).isTrue();
            assertThat(children.last().resync()).isTrue();
            await().atMost(WAIT)
                    .until(() -> tree.elements.stream()
                                    .filter(e -> e.type() == Type.INITIALIZED)
                                    .count()
                            == 2);
            List<String> afterResync = afterLast(tree.elements, Type.RESYNC);
            assertThat(afterResync)
                    .containsExactly("PRESENT /members", "PRESENT /members/a", "PRESENT /members/b", "INITIALIZED");

            admin.set(root + "/config", "after");
            admin.delete(root + "/members/a");
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(data.last().text()).isEqualTo("after");
                assertThat(data.last().resync()).isFalse();
                assertThat(children.last().children()).containsExactly("b");
                assertThat(tree.last().type()).isEqualTo(Type.DELETED);
            });
            assertThat(Arrays.asList(data.error.get(), children.error.get(), tree.error.get()))
                    .containsOnlyNulls();
            assertThat(data.elements).extracting(NodeSnapshot::text).containsExactly("before", "while-away", "after");
        }
    }

    @Test
    void aGenuineSessionExpiryReAddsTheWatchesAndResyncsOnlyWhatChanged() {
        ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString() + root);
        Fixtures.awaitConnected(zk);
        ConnectionEvent first = zk.connectionEvent();
        admin.create(root + "/config", "v1");
        admin.create(root + "/dir", "");

        try (Recorder<NodeSnapshot> data = new Recorder<>(zk.watchData("config"));
                Recorder<NodeSnapshot> unchanged = new Recorder<>(zk.watchData("dir"));
                Recorder<ChildrenSnapshot> children = new Recorder<>(zk.watchChildren("dir"));
                Recorder<TreeEvent> tree = new Recorder<>(zk.watchTree("dir"))) {
            await().atMost(WAIT)
                    .until(() -> !data.elements.isEmpty()
                            && !unchanged.elements.isEmpty()
                            && !children.elements.isEmpty()
                            && tree.elements.stream().anyMatch(e -> e.type() == Type.INITIALIZED));

            long expired = System.nanoTime();
            SessionExpirer.expire(zk.zooKeeper(), ensemble.connectString());
            admin.set(root + "/config", "v2");
            admin.create(root + "/dir/x", "");
            await().atMost(WAIT).until(() -> zk.connectionEvent().epoch() == first.epoch() + 1 && zk.isConnected());

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(data.last().text()).isEqualTo("v2");
                assertThat(data.last().resync()).isTrue();
                assertThat(children.last().children()).containsExactly("x");
                assertThat(children.last().resync()).isTrue();
                assertThat(afterLast(tree.elements, Type.RESYNC))
                        .containsExactly("PRESENT /dir", "PRESENT /dir/x", "INITIALIZED");
            });
            timings.info(
                    "session expiry: watches re-added and re-read {} ms after the expiry was requested",
                    Duration.ofNanos(System.nanoTime() - expired).toMillis());

            // The watches of the new session deliver new changes.
            admin.set(root + "/config", "v3");
            admin.create(root + "/dir/y", "");
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(data.last().text()).isEqualTo("v3");
                assertThat(data.last().resync()).isFalse();
                // The new session re-read /dir's data (unchanged: only its children changed) before v3 arrived, on
                // the same connection; an unchanged node is not emitted again.
                assertThat(unchanged.elements)
                        .as("no duplicate after the new session")
                        .hasSize(1);
                assertThat(children.last().children()).containsExactly("x", "y");
                assertThat(tree.last().path()).isEqualTo("/dir/y");
                assertThat(tree.last().type()).isEqualTo(Type.CREATED);
            });
            assertThat(Arrays.asList(data.error.get(), unchanged.error.get(), children.error.get(), tree.error.get()))
                    .containsOnlyNulls();
            assertThat(data.completions).hasValue(0);
        }
    }

    @Test
    void aStreamSubscribedWhileTheQuorumIsGoneStartsOnceItIsBack() {
        ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString(0) + root);
        Fixtures.awaitConnected(zk);
        admin.create(root + "/late", "value");
        ensemble.stop(1);
        ensemble.stop(2);
        await().atMost(WAIT).until(() -> zk.state() == ConnectionState.SUSPENDED);

        try (Recorder<NodeSnapshot> data = new Recorder<>(zk.watchData("late"))) {
            assertThat(data.elements).isEmpty();
            ensemble.start(1);
            ensemble.awaitQuorum(Duration.ofSeconds(30));
            await().atMost(WAIT).until(() -> !data.elements.isEmpty());
            assertThat(data.elements.get(0).text()).isEqualTo("value");
            assertThat(data.elements.get(0).resync()).isFalse();
            assertThat(data.error.get()).isNull();
        }
    }

    /** The events after the last RESYNC, as "TYPE path" (markers without their path). */
    private static List<String> afterLast(List<TreeEvent> events, Type marker) {
        int from = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == marker) {
                from = i;
            }
        }
        return events.subList(from + 1, events.size()).stream()
                .map(e -> e.isMarker() ? e.type().name() : e.type() + " " + e.path())
                .toList();
    }
}
