package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Faults under load, each repeated: a mixed load of 10,002 operations at 32 in flight (create, versioned setData, getData
 * in chains, each on its own node) runs while a fault strikes, with the default retries. Afterwards an independent
 * plain client checks every acknowledged write. Each row of docs/reliability.md comes from the line this class logs
 * under {@code io.reactivezk.timings}: repetitions, failures surfaced, acknowledged writes missing, and the time from
 * the fault until the container was CONNECTED again (min/median/max).
 */
class FaultSuiteIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");
    private static final int REPETITIONS = 3;
    private static final int WINDOW = 32;
    private static final int CHAINS = 3_334; // x 3 operations
    private static final AtomicInteger ROOTS = new AtomicInteger();

    private static EmbeddedEnsemble ensemble;
    private static ZooKeeper checker;

    @BeforeAll
    static void startEnsemble() {
        ensemble = EmbeddedEnsemble.startNew(3);
        checker = SharedZooKeeper.connect(ensemble.connectString());
    }

    @AfterAll
    static void stopEnsemble() throws InterruptedException {
        checker.close(5_000);
        ensemble.close();
    }

    @BeforeEach
    void everyMemberServes() {
        ensemble.startAll();
        ensemble.awaitQuorum(Duration.ofSeconds(30));
    }

    /** What one run under load saw. */
    record Outcome(int operations, List<Throwable> failures, int acknowledged, List<String> missing, long recoveryMs) {}

    /**
     * Runs the load on a container and strikes it with {@code fault} once a third of it is done; recovery is the time
     * from the fault until the container is CONNECTED (again, or in a new session) and an operation completes.
     */
    private Outcome underLoad(ZooKeeperContainer zk, Consumer<ZooKeeperContainer> fault) {
        String base = "load";
        zk.ensurePath(base).block(WAIT);
        AtomicInteger done = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Flux<Integer> load = Flux.range(0, CHAINS)
                .flatMap(
                        i -> {
                            String node = base + "/n-" + i;
                            String first = "c" + i;
                            String second = "s" + i;
                            return zk.create(node, first)
                                    .doOnNext(path -> acknowledged.put(node, first))
                                    .then(zk.setData(node, second, 0))
                                    .doOnNext(stat -> acknowledged.put(node, second))
                                    .then(zk.getRawData(node))
                                    .doOnNext(bytes -> {
                                        if (!second.equals(new String(bytes, StandardCharsets.UTF_8))) {
                                            failures.add(new AssertionError("read " + node + ": stale data"));
                                        }
                                    })
                                    .doOnError(failures::add)
                                    .onErrorResume(e -> Mono.empty())
                                    .doFinally(signal -> done.addAndGet(3))
                                    .thenReturn(i);
                        },
                        WINDOW);
        Disposable running = load.subscribe();
        long recovery;
        try {
            await().atMost(WAIT).until(() -> done.get() >= CHAINS);
            long epoch = zk.connectionEvent().epoch();
            long struck = System.nanoTime();
            fault.accept(zk);
            int before = done.get();
            await().atMost(WAIT).until(() -> zk.isConnected() && done.get() > before);
            recovery = Duration.ofNanos(System.nanoTime() - struck).toMillis();
            await().atMost(Duration.ofSeconds(60)).until(() -> done.get() >= CHAINS * 3);
            timings.debug("epoch {} -> {}", epoch, zk.connectionEvent().epoch());
        } finally {
            running.dispose();
        }
        List<String> missing = new ArrayList<>();
        String root = zk.spec().rootPath();
        acknowledged.forEach((node, value) -> {
            try {
                byte[] stored = checker.getData(root + "/" + node, false, null);
                if (!value.equals(new String(stored, StandardCharsets.UTF_8))) {
                    missing.add(node + " holds " + new String(stored, StandardCharsets.UTF_8) + ", not " + value);
                }
            } catch (KeeperException.NoNodeException e) {
                missing.add(node + " is missing");
            } catch (KeeperException | InterruptedException e) {
                throw new IllegalStateException("cannot check " + node, e);
            }
        });
        return new Outcome(CHAINS * 3, failures, acknowledged.size(), missing, recovery);
    }

    private void repeat(String fault, Consumer<ZooKeeperContainer> strike) {
        List<Long> recoveries = new ArrayList<>();
        int failures = 0;
        int missing = 0;
        for (int run = 1; run <= REPETITIONS; run++) {
            everyMemberServes();
            ZooKeeperService service = Fixtures.service();
            try {
                ZooKeeperContainer zk = service.container(
                        "zookeeper://" + ensemble.connectString() + "/faults-" + ROOTS.incrementAndGet());
                Fixtures.awaitConnected(zk);
                Outcome outcome = underLoad(zk, strike);
                assertThat(outcome.failures())
                        .as("%s, run %d: failures surfaced", fault, run)
                        .isEmpty();
                assertThat(outcome.missing())
                        .as("%s, run %d: acknowledged writes missing", fault, run)
                        .isEmpty();
                assertThat(outcome.acknowledged()).isEqualTo(CHAINS);
                failures += outcome.failures().size();
                missing += outcome.missing().size();
                recoveries.add(outcome.recoveryMs());
            } finally {
                service.close(WAIT);
            }
        }
        report(fault, REPETITIONS + " x " + CHAINS * 3 + " ops, W=" + WINDOW, failures, missing, recoveries);
    }

    private static void report(String fault, String load, int failures, int missing, List<Long> times) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        timings.info(
                "fault table | {} | {} | {} | {} | {} / {} / {} ms |",
                fault,
                load,
                failures,
                missing,
                sorted.get(0),
                sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1));
    }

    @Test
    void theMemberTheContainerUsesIsKilledUnderLoad() {
        repeat("member kill", zk -> {
            int member = ensemble.memberOf(zk.zooKeeper());
            ensemble.stop(member);
            ensemble.start(member);
        });
    }

    @Test
    void theSessionExpiresUnderLoad() {
        repeat("session expiry", zk -> SessionExpirer.expire(zk.zooKeeper(), ensemble.connectString()));
    }

    @Test
    void theQuorumIsLostForTwoSecondsUnderLoad() {
        repeat("quorum loss (2 s)", zk -> {
            int member = ensemble.memberOf(zk.zooKeeper());
            ensemble.stopAllBut(member);
            await().atMost(WAIT).until(() -> zk.state() == ConnectionState.SUSPENDED);
            long lost = System.nanoTime();
            // The outage lasts two seconds: wait on the clock, not on an event (there is none to wait for).
            await().atMost(WAIT)
                    .pollDelay(Duration.ofSeconds(2))
                    .until(() ->
                            System.nanoTime() - lost >= Duration.ofSeconds(2).toNanos());
            ensemble.startAll();
        });
    }

    @Test
    void aServerThatIsDownAtStartServesTheOperationsWaitingForIt() {
        List<Long> times = new ArrayList<>();
        for (int run = 1; run <= REPETITIONS; run++) {
            EmbeddedZooKeeper server = EmbeddedZooKeeper.builder().build();
            ZooKeeperService service = Fixtures.service(ZooKeeperOptions.builder()
                    .operationTimeout(Duration.ofSeconds(20))
                    .build());
            try {
                server.start();
                String connectString = server.connectString();
                server.stop();
                ZooKeeperContainer zk = service.container("zookeeper://" + connectString + "/down-at-start");
                List<Mono<String>> waiting = new ArrayList<>();
                for (int i = 0; i < WINDOW; i++) {
                    waiting.add(zk.create("n-" + i, "v").cache());
                }
                waiting.forEach(op -> op.subscribe(path -> {}, e -> {}));
                assertThat(zk.state()).isEqualTo(ConnectionState.LOST);
                long started = System.nanoTime();
                server.start();
                for (Mono<String> op : waiting) {
                    assertThat(op.block(WAIT)).startsWith("/n-");
                }
                times.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
            } finally {
                service.close(WAIT);
                server.close();
            }
        }
        report("server down at start", REPETITIONS + " x " + WINDOW + " creates waiting", 0, 0, times);
    }

    @Test
    void closingDuringAnOutageCompletesWithinTheCloseTimeout() {
        List<Long> times = new ArrayList<>();
        for (int run = 1; run <= REPETITIONS; run++) {
            EmbeddedZooKeeper server = EmbeddedZooKeeper.startNew();
            ZooKeeperService service = Fixtures.service();
            try {
                ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + "/closing");
                Fixtures.awaitConnected(zk);
                server.stop();
                await().atMost(WAIT).until(() -> zk.state() == ConnectionState.SUSPENDED);
                long closing = System.nanoTime();
                zk.closeAsync().block(WAIT);
                times.add(Duration.ofNanos(System.nanoTime() - closing).toMillis());
                assertThat(zk.state()).isEqualTo(ConnectionState.LOST);
                assertThat(zk.connectionEvents().count().block(WAIT))
                        .as("the state stream completed")
                        .isEqualTo(1);
            } finally {
                service.close(WAIT);
                server.close();
            }
        }
        report("close during an outage", REPETITIONS + " closes", 0, 0, times);
    }
}
