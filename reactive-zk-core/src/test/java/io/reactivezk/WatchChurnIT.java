package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import reactor.core.publisher.Mono;

/**
 * Short-lived watch streams (a {@code watchData(p).next()}, a request-scoped subscription) churning while the
 * connection drops. ZooKeeper's client reports a failed local watch removal as an event carrying the Disconnected
 * state, and then drops the real Disconnected event as a repeat; the container must still see every disconnection.
 * Each scenario runs ten times in one test, as the fault it guards against is a race.
 */
class WatchChurnIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");
    private static final int REPETITIONS = 10;
    private static final int CHURNERS = 6;

    /** How long a dropped connection may take to show as SUSPENDED: ZooKeeper sees a closed socket at once. */
    private static final Duration SUSPENDED_WITHIN = Duration.ofSeconds(5);

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
    void everyMemberServes() {
        ensemble.startAll();
        ensemble.awaitQuorum(Duration.ofSeconds(30));
        service = Fixtures.service(ZooKeeperOptions.builder()
                .operationTimeout(Duration.ofSeconds(5))
                .build());
        admin = new Nodes(adminClient);
        root = "/churn-" + ROOTS.incrementAndGet();
        admin.create(root, "");
        admin.create(root + "/config", "v0");
        for (int i = 0; i < CHURNERS; i++) {
            admin.create(root + "/short-" + i, "x");
        }
    }

    @AfterEach
    void closeService() {
        service.close(WAIT);
    }

    /**
     * Watch streams that each take one value and end, again and again: every end removes a server watch. A stream that
     * waits for a connection gives up after a few milliseconds, so removals go on while disconnected as well.
     */
    private Churn churn(ZooKeeperContainer zk, AtomicLong rounds) {
        Disposable.Composite all = Disposables.composite();
        for (int i = 0; i < CHURNERS; i++) {
            String path = "short-" + i;
            all.add(Mono.defer(() -> zk.watchData(path).next())
                    .timeout(Duration.ofMillis(30))
                    .onErrorResume(e -> Mono.empty())
                    .doOnTerminate(rounds::incrementAndGet)
                    .repeat()
                    .subscribe());
        }
        return all::dispose;
    }

    /** The churning streams, stopped on close. */
    @FunctionalInterface
    private interface Churn extends AutoCloseable {
        @Override
        void close();
    }

    @Test
    void everyStoppedMemberShowsAsSuspendedAndTheLongLivedStreamEndsOnTheServersValue() {
        int member = (ensemble.leader() + 1) % ensemble.size();
        ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString(member) + root);
        Fixtures.awaitConnected(zk);
        long session = zk.connectionEvent().sessionId();
        AtomicLong rounds = new AtomicLong();
        List<Long> suspendedAfter = new ArrayList<>();

        try (WatchResilienceIT.Recorder<NodeSnapshot> config =
                        new WatchResilienceIT.Recorder<>(zk.watchData("config"));
                Churn churning = churn(zk, rounds)) {
            await().atMost(WAIT).until(() -> !config.elements.isEmpty() && rounds.get() > 100);
            for (int run = 1; run <= REPETITIONS; run++) {
                long before = rounds.get();
                await().atMost(WAIT).until(() -> rounds.get() > before + 20);
                long stopped = System.nanoTime();
                ensemble.stop(member);
                await().alias(String.format("run %d: SUSPENDED after the member stopped", run))
                        .atMost(SUSPENDED_WITHIN)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> zk.state() == ConnectionState.SUSPENDED);
                suspendedAfter.add(Duration.ofNanos(System.nanoTime() - stopped).toMillis());
                String value = "v" + run;
                admin.set(root + "/config", value);
                ensemble.start(member);
                await().alias(String.format("run %d: the long-lived stream shows %s", run, value))
                        .atMost(WAIT)
                        .until(() ->
                                zk.isConnected() && value.equals(config.last().text()));
            }
            assertThat(zk.connectionEvent().sessionId())
                    .as("same session throughout")
                    .isEqualTo(session);
            assertThat(config.error.get()).isNull();
        }
        timings.info("member stop with churning watches: SUSPENDED after {} ms", suspendedAfter);
    }

    @Test
    void everyQuorumLossShowsAsSuspendedAndOneLongerThanTheSessionTimeoutIsGivenUp() {
        // A short session, so that the give-up timer fires while the quorum is gone.
        ZooKeeperService shortSessions = ZooKeeperService.create(
                ZooKeeperConfig.of(Map.of("zookeeper", Map.of("timeout", "2s"))).withEnvironment(Map.of()),
                ZooKeeperOptions.builder()
                        .operationTimeout(Duration.ofSeconds(5))
                        .build());
        int member = (ensemble.leader() + 1) % ensemble.size();
        ZooKeeperContainer zk = shortSessions.container("zookeeper://" + ensemble.connectString(member) + root);
        Fixtures.awaitConnected(zk);
        AtomicLong rounds = new AtomicLong();
        List<Long> suspendedAfter = new ArrayList<>();
        List<Long> givenUpAfter = new ArrayList<>();

        try (WatchResilienceIT.Recorder<NodeSnapshot> config =
                        new WatchResilienceIT.Recorder<>(zk.watchData("config"));
                Churn churning = churn(zk, rounds)) {
            await().atMost(WAIT).until(() -> !config.elements.isEmpty() && rounds.get() > 100);
            for (int run = 1; run <= REPETITIONS; run++) {
                long before = rounds.get();
                await().atMost(WAIT).until(() -> rounds.get() > before + 20);
                long epoch = zk.connectionEvent().epoch();
                long stopped = System.nanoTime();
                ensemble.stopAllBut(member);
                await().alias(String.format("run %d: SUSPENDED after the quorum was lost", run))
                        .atMost(SUSPENDED_WITHIN)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> zk.state() == ConnectionState.SUSPENDED);
                long suspended = System.nanoTime();
                suspendedAfter.add(Duration.ofNanos(suspended - stopped).toMillis());
                await().alias(String.format("run %d: LOST once no server answered for the session timeout", run))
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> zk.state() == ConnectionState.LOST);
                givenUpAfter.add(Duration.ofNanos(System.nanoTime() - suspended).toMillis());
                ensemble.startAll();
                ensemble.awaitQuorum(Duration.ofSeconds(30));
                String value = "q" + run;
                admin.set(root + "/config", value);
                await().alias(String.format("run %d: a new session, and the long-lived stream shows %s", run, value))
                        .atMost(WAIT)
                        .until(() -> zk.isConnected()
                                && zk.connectionEvent().epoch() > epoch
                                && value.equals(config.last().text()));
            }
            assertThat(config.error.get()).isNull();
        } finally {
            shortSessions.close(WAIT);
        }
        timings.info(
                "quorum loss with churning watches (session timeout 2 s): SUSPENDED after {} ms, LOST {} ms later",
                suspendedAfter,
                givenUpAfter);
    }

    @Test
    void everyExpiryShowsAsLostAndTheNewSessionResyncsTheLongLivedStream() {
        ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString() + root);
        Fixtures.awaitConnected(zk);
        AtomicLong rounds = new AtomicLong();
        List<Long> lostAfter = new ArrayList<>();

        try (WatchResilienceIT.Recorder<NodeSnapshot> config =
                        new WatchResilienceIT.Recorder<>(zk.watchData("config"));
                WatchResilienceIT.Recorder<ConnectionEvent> events =
                        new WatchResilienceIT.Recorder<>(zk.connectionEvents());
                Churn churning = churn(zk, rounds)) {
            await().atMost(WAIT).until(() -> !config.elements.isEmpty() && rounds.get() > 100);
            for (int run = 1; run <= REPETITIONS; run++) {
                long before = rounds.get();
                await().atMost(WAIT).until(() -> rounds.get() > before + 20);
                long epoch = zk.connectionEvent().epoch();
                int lostBefore = lostCount(events.elements);
                long expired = System.nanoTime();
                SessionExpirer.expire(zk.zooKeeper(), ensemble.connectString());
                await().alias(String.format("run %d: LOST after the expiry", run))
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> lostCount(events.elements) > lostBefore);
                lostAfter.add(Duration.ofNanos(System.nanoTime() - expired).toMillis());
                String value = "e" + run;
                admin.set(root + "/config", value);
                await().alias(String.format("run %d: a new session, and the long-lived stream shows %s", run, value))
                        .atMost(WAIT)
                        .until(() -> zk.isConnected()
                                && zk.connectionEvent().epoch() > epoch
                                && value.equals(config.last().text()));
            }
            assertThat(config.error.get()).isNull();
        }
        timings.info("session expiry with churning watches: LOST after {} ms", lostAfter);
    }

    private static int lostCount(List<ConnectionEvent> events) {
        return (int)
                events.stream().filter(e -> e.state() == ConnectionState.LOST).count();
    }
}
