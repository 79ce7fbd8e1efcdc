package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Connection states against servers that fail for real: an in-process ensemble losing members and its quorum,
 * genuine server-side session expiry, and a standalone server that is down at start or restarted. The observed
 * sequences and their timings are logged under {@code io.reactivezk.timings}.
 */
class ConnectionStatesIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");

    /** Records every event a container emits, with the time since recording started. */
    static final class Recorder implements AutoCloseable {
        final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        final long start = System.nanoTime();
        final Disposable subscription;

        Recorder(ZooKeeperContainer container) {
            subscription = container.connectionEvents().subscribe(events::add);
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            for (ConnectionEvent event : events) {
                long ms = Duration.between(events.get(0).at(), event.at()).toMillis();
                text.append(String.format("%n  +%5d ms  %s", ms, event));
            }
            return text.toString();
        }

        @Override
        public void close() {
            subscription.dispose();
        }
    }

    @Nested
    class OnAnEnsemble {

        private static EmbeddedEnsemble ensemble;
        private ZooKeeperService service;

        @BeforeAll
        static void startEnsemble() {
            ensemble = EmbeddedEnsemble.startNew(3);
        }

        @AfterAll
        static void closeEnsemble() {
            ensemble.close();
        }

        @BeforeEach
        void everyMemberServes() {
            ensemble.startAll();
            ensemble.awaitQuorum(Duration.ofSeconds(30));
            service = Fixtures.service(ZooKeeperOptions.builder()
                    .operationTimeout(Duration.ofSeconds(3))
                    .build());
        }

        @AfterEach
        void closeService() {
            service.close(WAIT);
        }

        private ZooKeeperContainer container() {
            return service.container("zookeeper://" + ensemble.connectString() + "/states");
        }

        @Test
        void aStoppedMemberGivesSuspendedThenConnectedWithTheSameSession() {
            ZooKeeperContainer zk = container();
            try (Recorder recorder = new Recorder(zk)) {
                Fixtures.awaitConnected(zk);
                ConnectionEvent first = zk.connectionEvent();

                StepVerifier.create(zk.connectionEvents().skip(1).take(2))
                        .then(() -> ensemble.stop(ensemble.memberOf(zk.zooKeeper())))
                        .assertNext(e -> assertThat(e.state()).isEqualTo(ConnectionState.SUSPENDED))
                        .assertNext(e -> {
                            assertThat(e.state()).isEqualTo(ConnectionState.CONNECTED);
                            assertThat(e.sessionId()).isEqualTo(first.sessionId());
                            assertThat(e.epoch()).isEqualTo(first.epoch());
                        })
                        .expectComplete()
                        .verify(WAIT);
                timings.info("member stop:{}", recorder.describe());
                assertThat(recorder.events)
                        .extracting(ConnectionEvent::state)
                        .containsExactly(
                                ConnectionState.LOST,
                                ConnectionState.CONNECTED,
                                ConnectionState.SUSPENDED,
                                ConnectionState.CONNECTED);
            }
        }

        @Test
        void aGenuineExpiryGivesLostThenConnectedWithANewSessionAndEpoch() {
            ZooKeeperContainer zk = container();
            try (Recorder recorder = new Recorder(zk)) {
                Fixtures.awaitConnected(zk);
                ConnectionEvent first = zk.connectionEvent();

                StepVerifier.create(zk.connectionEvents()
                                .filter(e -> e.epoch() > first.epoch() || e.state() == ConnectionState.LOST)
                                .take(2))
                        .then(() -> SessionExpirer.expire(zk.zooKeeper(), ensemble.connectString()))
                        .assertNext(e -> {
                            assertThat(e.state()).isEqualTo(ConnectionState.LOST);
                            assertThat(e.sessionId()).isEqualTo(first.sessionId());
                        })
                        .assertNext(e -> {
                            assertThat(e.state()).isEqualTo(ConnectionState.CONNECTED);
                            assertThat(e.sessionId()).isNotEqualTo(first.sessionId());
                            assertThat(e.epoch()).isEqualTo(first.epoch() + 1);
                        })
                        .expectComplete()
                        .verify(WAIT);
                timings.info("session expiry:{}", recorder.describe());
                StepVerifier.create(zk.getChildren())
                        .expectNextCount(1)
                        .expectComplete()
                        .verify(WAIT);
            }
        }

        @Test
        void aReadIssuedWhileTheQuorumIsGoneFailsWithTheTimeoutError() {
            ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString(0) + "/states");
            Fixtures.awaitConnected(zk);
            ensemble.stop(1);
            ensemble.stop(2);
            StepVerifier.create(zk.states()
                            .filter(s -> s == ConnectionState.SUSPENDED)
                            .take(1))
                    .expectNext(ConnectionState.SUSPENDED)
                    .expectComplete()
                    .verify(WAIT);

            long started = System.nanoTime();
            StepVerifier.create(zk.getData("anything"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("PT3S")
                            .hasMessageContaining("SUSPENDED")
                            .hasMessageContaining("/states/anything"))
                    .verify(WAIT);
            timings.info(
                    "read during quorum loss failed after {} ms (operation timeout 3 s)",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());

            ensemble.start(1);
            ensemble.awaitQuorum(Duration.ofSeconds(30));
            Fixtures.awaitConnected(zk);
        }
    }

    @Nested
    class OnAStandaloneServer {

        private EmbeddedZooKeeper server;
        private ZooKeeperService service;

        @BeforeEach
        void start() {
            server = EmbeddedZooKeeper.startNew();
            service = Fixtures.service(ZooKeeperOptions.builder()
                    .operationTimeout(Duration.ofSeconds(15))
                    .build());
        }

        @AfterEach
        void stop() {
            service.close(WAIT);
            server.close();
        }

        @Test
        void aServerDownAtStartGivesLostWithoutBlockingThenConnectedOnceItStarts() {
            String connectString = server.connectString();
            server.stop();

            long before = System.nanoTime();
            ZooKeeperContainer zk = service.container("zookeeper://" + connectString + "/late");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));

            try (Recorder recorder = new Recorder(zk)) {
                StepVerifier.create(zk.states())
                        .expectNext(ConnectionState.LOST)
                        .expectNoEvent(Duration.ofMillis(500))
                        .then(server::start)
                        .expectNext(ConnectionState.CONNECTED)
                        .thenCancel()
                        .verify(WAIT);
                timings.info("server down at start:{}", recorder.describe());
            }
        }

        @Test
        void aReadIssuedWhileSuspendedCompletesAfterTheServerComesBack() throws Exception {
            ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + "/suspended");
            Fixtures.awaitConnected(zk);
            long session = zk.connectionEvent().sessionId();
            zk.execute(handle -> handle.create(
                            zk.resolvePath("value"),
                            "42".getBytes(StandardCharsets.UTF_8),
                            org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            org.apache.zookeeper.CreateMode.PERSISTENT))
                    .block(WAIT);

            server.stop();
            StepVerifier.create(zk.states()
                            .filter(s -> s == ConnectionState.SUSPENDED)
                            .take(1))
                    .expectNext(ConnectionState.SUSPENDED)
                    .expectComplete()
                    .verify(WAIT);

            Mono<String> read = zk.getRawData("value").map(b -> new String(b, StandardCharsets.UTF_8));
            StepVerifier.create(read)
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(300))
                    .then(server::start)
                    .expectNext("42")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(zk.connectionEvent().sessionId()).isEqualTo(session);
        }

        @Test
        void aServerDownForLongerThanTheSessionTimeoutGivesLostAtTheTimeoutThenANewSessionOnceItIsBack() {
            ZooKeeperService shortSessions =
                    ZooKeeperService.create(ZooKeeperConfig.of(Map.of("zookeeper", Map.of("timeout", "2s")))
                            .withEnvironment(Map.of()));
            try {
                ZooKeeperContainer zk = shortSessions.container("zookeeper://" + server.connectString() + "/long");
                Fixtures.awaitConnected(zk);
                ConnectionEvent first = zk.connectionEvent();
                long timeout = zk.zooKeeper().getSessionTimeout();
                try (Recorder recorder = new Recorder(zk)) {
                    server.stop();
                    await().atMost(WAIT).until(() -> zk.state() == ConnectionState.LOST);
                    server.start();
                    await().atMost(WAIT)
                            .until(() ->
                                    zk.isConnected() && zk.connectionEvent().epoch() > first.epoch());
                    timings.info("server down longer than the {} ms session timeout:{}", timeout, recorder.describe());

                    assertThat(recorder.events)
                            .extracting(ConnectionEvent::state)
                            .containsExactly(
                                    ConnectionState.CONNECTED,
                                    ConnectionState.SUSPENDED,
                                    ConnectionState.LOST,
                                    ConnectionState.CONNECTED);
                    ConnectionEvent suspended = recorder.events.get(1);
                    ConnectionEvent lost = recorder.events.get(2);
                    assertThat(Duration.between(suspended.at(), lost.at()))
                            .as("not given up before the session timeout")
                            .isGreaterThanOrEqualTo(Duration.ofMillis(timeout - 50));
                    assertThat(zk.connectionEvent().sessionId()).isNotEqualTo(first.sessionId());
                }
            } finally {
                shortSessions.close(WAIT);
            }
        }

        @Test
        void twoContainersHaveTwoSessionsAndNameThemselvesInTheirEvents() {
            ZooKeeperContainer a = service.container("zookeeper://" + server.connectString() + "/a");
            ZooKeeperContainer b = service.container("zookeeper://" + server.connectString() + "/b");
            Fixtures.awaitConnected(a);
            Fixtures.awaitConnected(b);
            assertThat(a.connectionEvent().sessionId())
                    .isNotEqualTo(b.connectionEvent().sessionId());
            assertThat(a.connectionEvent().container()).isEqualTo(a.name());
            assertThat(b.connectionEvent().container()).isEqualTo(b.name()).isNotEqualTo(a.name());
        }

        @Test
        void serverSideExpiryIsFollowedByANewSessionWithoutApplicationAction() {
            ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + "/expiry");
            Fixtures.awaitConnected(zk);
            ConnectionEvent first = zk.connectionEvent();

            // The server drops the connection as it expires the session: SUSPENDED, then LOST on reconnect.
            StepVerifier.create(zk.connectionEvents().skip(1).take(3))
                    .then(() -> server.expireSession(first.sessionId()))
                    .assertNext(e -> assertThat(e.state()).isEqualTo(ConnectionState.SUSPENDED))
                    .assertNext(e -> {
                        assertThat(e.state()).isEqualTo(ConnectionState.LOST);
                        assertThat(e.sessionId()).isEqualTo(first.sessionId());
                    })
                    .assertNext(e -> {
                        assertThat(e.state()).isEqualTo(ConnectionState.CONNECTED);
                        assertThat(e.sessionId()).isNotEqualTo(first.sessionId());
                        assertThat(e.epoch()).isEqualTo(2);
                    })
                    .expectComplete()
                    .verify(WAIT);
        }
    }
}
