package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SharedZooKeeper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.test.util.RaceTestUtils;

/**
 * Server watches of many subscribers, counted on a server of this class's own so that no other test's watches are
 * counted; and the heap cost of live subscriptions, logged under {@code io.reactivezk.timings}.
 */
class WatchScaleIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");

    private static EmbeddedZooKeeper server;
    private static ZooKeeper adminClient;

    private ZooKeeperService service;
    private ZooKeeperContainer zk;
    private Nodes admin;

    @BeforeAll
    static void startServer() {
        server = EmbeddedZooKeeper.startNew();
        adminClient = SharedZooKeeper.connect(server.connectString());
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        adminClient.close(5_000);
        server.close();
    }

    @BeforeEach
    void connect() {
        service = Fixtures.service();
        zk = service.container("zookeeper://" + server.connectString() + "/scale");
        Fixtures.awaitConnected(zk);
        admin = new Nodes(adminClient);
    }

    @AfterEach
    void close() {
        service.close(WAIT);
    }

    /** The sessions that watch a path, from the server's own report. */
    private static Set<Long> watchers(String absolutePath) {
        Map<String, Set<Long>> byPath =
                server.server().getZKDatabase().getDataTree().getWatchesByPath().toMap();
        return byPath.getOrDefault(absolutePath, Set.of());
    }

    @Test
    void cancellingTheLastSubscriberOfEachKindRemovesItsServerWatch() {
        admin.create("/scale/node", "1");
        admin.create("/scale/tree", "");
        int before = server.watchCount();

        Disposable data = zk.watchData("node").subscribe();
        await().atMost(WAIT).until(() -> server.watchCount() > before);
        int withData = server.watchCount();
        Disposable children = zk.watchChildren("node").subscribe();
        Disposable typed = zk.watchData("node", String.class).subscribe();
        Disposable tree = zk.watchTree("tree").subscribe();
        await().atMost(WAIT).until(() -> server.watchCount() > withData);
        int withAll = server.watchCount();
        timings.info(
                "server watch count: {} before, {} with a data stream, {} with data, children and typed streams on the"
                        + " same node and a tree stream on another",
                before,
                withData,
                withAll);
        assertThat(watchers("/scale/node")).containsExactly(zk.connectionEvent().sessionId());
        assertThat(watchers("/scale/tree")).containsExactly(zk.connectionEvent().sessionId());

        data.dispose();
        typed.dispose();
        assertThat(server.watchCount())
                .as("the children stream still uses the persistent watch")
                .isEqualTo(withAll);
        children.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == withAll - (withData - before));
        assertThat(watchers("/scale/node")).isEmpty();
        tree.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == before);
        timings.info("server watch count after cancelling every stream: {}", server.watchCount());
        assertThat(watchers("/scale/tree")).isEmpty();
    }

    @Test
    void aDataStreamOnTheRootOfATreeStreamIsFedByTheTreeWatchAndTakesOverWhenItGoes() throws Exception {
        admin.create("/scale/mixed", "1");
        int persistent = weight(AddWatchMode.PERSISTENT);
        int recursive = weight(AddWatchMode.PERSISTENT_RECURSIVE);
        int before = server.watchCount();
        List<String> data = new CopyOnWriteArrayList<>();
        List<List<String>> children = new CopyOnWriteArrayList<>();
        Disposable tree = zk.watchTree("mixed").subscribe();
        await().atMost(WAIT).until(() -> server.watchCount() == before + recursive);
        Disposable streams = Disposables.composite(
                zk.watchData("mixed").subscribe(s -> data.add(s.text())),
                zk.watchChildren("mixed").subscribe(s -> children.add(s.children())));

        await().atMost(WAIT).until(() -> data.size() == 1 && children.size() == 1);

        // One watch on the path, the tree's: servers before 3.9 keep one mode per path (see Watches).
        admin.set("/scale/mixed", "2");
        admin.create("/scale/mixed/a", "");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(data).containsExactly("1", "2");
            assertThat(children).last().isEqualTo(List.of("a"));
        });
        assertThat(server.watchCount()).isEqualTo(before + recursive);

        tree.dispose();
        // The data and children streams add their own watch and go on.
        admin.set("/scale/mixed", "3");
        admin.delete("/scale/mixed/a");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(data).containsExactly("1", "2", "3");
            assertThat(children).last().isEqualTo(List.of());
        });
        assertThat(server.watchCount()).isEqualTo(before + persistent);
        streams.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == before);
    }

    @Test
    void aTreeStreamAddedOverADataStreamKeepsReportingWhenTheDataStreamGoes() throws Exception {
        admin.create("/scale/over", "1");
        int persistent = weight(AddWatchMode.PERSISTENT);
        int recursive = weight(AddWatchMode.PERSISTENT_RECURSIVE);
        int before = server.watchCount();
        Disposable data = zk.watchData("over").subscribe();
        await().atMost(WAIT).until(() -> server.watchCount() == before + persistent);
        List<TreeEvent.Type> events = new CopyOnWriteArrayList<>();
        Disposable tree = zk.watchTree("over").subscribe(e -> events.add(e.type()));
        await().atMost(WAIT).until(() -> events.contains(TreeEvent.Type.INITIALIZED));
        // The tree watch now feeds the data stream, whose own watch is gone.
        await().atMost(WAIT).until(() -> server.watchCount() == before + recursive);

        data.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == before + recursive);
        admin.set("/scale/over", "2");
        admin.create("/scale/over/child", "");
        await().atMost(WAIT)
                .until(
                        () -> events.subList(events.indexOf(TreeEvent.Type.INITIALIZED), events.size()),
                        after -> after.equals(List.of(
                                TreeEvent.Type.INITIALIZED, TreeEvent.Type.DATA_CHANGED, TreeEvent.Type.CREATED)));
        tree.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == before);
    }

    /**
     * What one watch of a mode counts in the server's watch count, from a plain client on another path (a persistent
     * watch sits in both the data and the child watch tables).
     */
    private int weight(AddWatchMode mode) throws Exception {
        int reference = server.watchCount();
        adminClient.addWatch("/scale/reference", event -> {}, mode);
        int weight = server.watchCount() - reference;
        adminClient.removeAllWatches("/scale/reference", Watcher.WatcherType.Any, false);
        return weight;
    }

    @Test
    void tenThousandSubscribersOfOnePathShareOneServerWatch() throws Exception {
        admin.create("/scale/hot", "0");
        // What one persistent watch counts on the server, from a plain client on another path.
        int reference = server.watchCount();
        adminClient.addWatch("/scale/reference", event -> {}, AddWatchMode.PERSISTENT);
        int oneWatch = server.watchCount() - reference;
        adminClient.removeAllWatches("/scale/reference", Watcher.WatcherType.Any, false);

        int before = server.watchCount();
        int subscribers = 10_000;
        AtomicInteger first = new AtomicInteger();
        AtomicInteger updated = new AtomicInteger();
        Disposable.Composite all = Disposables.composite();
        for (int i = 0; i < subscribers; i++) {
            all.add(zk.watchData("hot").subscribe(s -> {
                if (s.text().equals("0")) {
                    first.incrementAndGet();
                } else {
                    updated.incrementAndGet();
                }
            }));
        }
        await().atMost(WAIT).until(() -> first.get() == subscribers);
        int during = server.watchCount();
        admin.set("/scale/hot", "1");
        await().atMost(WAIT).until(() -> updated.get() == subscribers);

        timings.info(
                "{} subscribers of one path: server watch count {} before, {} during (one persistent watch counts {}),"
                        + " sessions watching the path {}",
                subscribers,
                before,
                during,
                oneWatch,
                watchers("/scale/hot").size());
        assertThat(during - before).isEqualTo(oneWatch);
        assertThat(watchers("/scale/hot")).hasSize(1);

        all.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == before);
        timings.info("after cancelling the {} subscribers: server watch count {}", subscribers, server.watchCount());
    }

    @Test
    void heapCostOfAHundredThousandLiveSubscriptions() {
        measureHeap(100_000, 100);
        measureHeap(100_000, 1);
    }

    private void measureHeap(int subscriptions, int paths) {
        String prefix = "heap" + paths + "-";
        for (int p = 0; p < paths; p++) {
            admin.create("/scale/" + prefix + p, "0");
        }
        int watchesBefore = server.watchCount();
        long heapBefore = usedHeapAfterGc();

        long started = System.nanoTime();
        AtomicInteger received = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Disposable.Composite all = Disposables.composite();
        for (int i = 0; i < subscriptions; i++) {
            all.add(zk.watchData(prefix + (i % paths)).subscribe(s -> received.incrementAndGet(), error::set));
        }
        await().atMost(WAIT).until(() -> received.get() == subscriptions);
        long subscribeMillis = (System.nanoTime() - started) / 1_000_000;
        int watchesDuring = server.watchCount();
        long heapDuring = usedHeapAfterGc();

        long cancelStarted = System.nanoTime();
        all.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == watchesBefore);
        long cancelMillis = (System.nanoTime() - cancelStarted) / 1_000_000;
        long heapAfter = usedHeapAfterGc();

        long delta = heapDuring - heapBefore;
        timings.info(
                "{} live data subscriptions on {} path(s): heap {} KiB before, {} KiB during, {} KiB after cancelling;"
                        + " delta {} KiB = {} bytes per subscription; server watch count {} before, {} during, {} after;"
                        + " subscribing took {} ms, cancelling {} ms",
                subscriptions,
                paths,
                heapBefore / 1024,
                heapDuring / 1024,
                heapAfter / 1024,
                delta / 1024,
                delta / subscriptions,
                watchesBefore,
                watchesDuring,
                server.watchCount(),
                subscribeMillis,
                cancelMillis);
        assertThat(error.get()).isNull();
        assertThat(watchesDuring - watchesBefore).isEqualTo(2 * paths);
    }

    @Test
    void subscribersJoiningAndLeavingConcurrentlyLeaveNoServerWatchBehind() {
        admin.create("/scale/race", "0");
        int before = server.watchCount();
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (int round = 0; round < 300; round++) {
            Runnable joinAndLeave = () -> {
                Disposable data = zk.watchData("race").subscribe(s -> {}, error::set);
                Disposable tree = zk.watchTree("race").subscribe(e -> {}, error::set);
                data.dispose();
                tree.dispose();
            };
            RaceTestUtils.race(joinAndLeave, joinAndLeave);
        }
        await().atMost(WAIT).until(() -> server.watchCount() == before);
        assertThat(error.get()).isNull();

        // The path is still watchable afterwards, with one server watch.
        AtomicInteger seen = new AtomicInteger();
        Disposable last = zk.watchData("race").subscribe(s -> seen.incrementAndGet());
        await().atMost(WAIT).until(() -> seen.get() == 1);
        admin.set("/scale/race", "1");
        await().atMost(WAIT).until(() -> seen.get() == 2);
        assertThat(watchers("/scale/race")).hasSize(1);
        last.dispose();
        await().atMost(WAIT).until(() -> server.watchCount() == before);
    }

    /**
     * Why the library removes its watches with {@code removeAllWatches} for one watcher type: ZooKeeper's
     * {@code removeWatches} with a watcher object only checks that the server has the watch ({@code checkWatches})
     * and forgets the watcher locally, so the server keeps watching and its count does not go down.
     */
    @Test
    void zooKeeperRemovesAServerWatchOnlyWithRemoveAllWatches() throws Exception {
        admin.create("/scale/learning", "");
        int before = server.watchCount();
        Watcher watcher = event -> {};
        adminClient.addWatch("/scale/learning", watcher, AddWatchMode.PERSISTENT);
        int added = server.watchCount();
        assertThat(added).isGreaterThan(before);

        adminClient.removeWatches("/scale/learning", watcher, Watcher.WatcherType.Any, false);
        assertThat(server.watchCount())
                .as("after removeWatches(path, watcher, ...)")
                .isEqualTo(added);

        // The server removes its watch; the client, which already forgot the watcher, reports NOWATCHER.
        assertThatThrownBy(() -> adminClient.removeAllWatches("/scale/learning", Watcher.WatcherType.Persistent, false))
                .isInstanceOf(KeeperException.NoWatcherException.class);
        assertThat(server.watchCount())
                .as("after removeAllWatches(path, Persistent, ...)")
                .isEqualTo(before);
    }

    /** Used heap after garbage collection: the smallest of several samples, each after {@link System#gc()}. */
    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long smallest = Long.MAX_VALUE;
        for (int sample = 0; sample < 5; sample++) {
            System.gc();
            smallest = Math.min(smallest, runtime.totalMemory() - runtime.freeMemory());
        }
        return smallest;
    }
}
