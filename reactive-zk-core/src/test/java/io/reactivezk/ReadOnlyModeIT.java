package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedEnsemble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * ZooKeeper's read-only mode on a real ensemble: a member cut off from its quorum serves reads, and a container that
 * accepts read-only servers ({@link ZooKeeperOptions#canBeReadOnly()}) reaches it and says so in its events.
 *
 * <p>A read-only server refuses sessions made in read-write mode, and serves new ones only as local sessions: the
 * servers run with {@code readonlymode.enabled=true} and {@code localSessionsEnabled=true}. The container gives its
 * session up after the session timeout without a server (or sooner, if the read-only server says it expired), opens a
 * new one, and moves to a read-write server, with another new session, once the quorum is back.
 */
class ReadOnlyModeIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");
    private static final String READ_ONLY_MODE = "readonlymode.enabled";

    private static EmbeddedEnsemble ensemble;

    @BeforeAll
    static void startEnsemble() {
        // Read by each quorum peer when it loses its quorum; only this class's ensemble runs meanwhile.
        System.setProperty(READ_ONLY_MODE, "true");
        ensemble = EmbeddedEnsemble.create(3)
                .withConfig("localSessionsEnabled", "true")
                .withConfig("localSessionsUpgradingEnabled", "true");
        ensemble.startAll();
        ensemble.awaitQuorum(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopEnsemble() {
        try {
            if (ensemble != null) {
                ensemble.close();
            }
        } finally {
            System.clearProperty(READ_ONLY_MODE);
        }
    }

    @Test
    void aMemberWithoutQuorumServesReadsAndTheContainerReturnsToReadWriteWhenTheQuorumIsBack() {
        ZooKeeperService service = ZooKeeperService.create(
                ZooKeeperConfig.of(Map.of("zookeeper", Map.of("timeout", "4s"))).withEnvironment(Map.of()),
                ZooKeeperOptions.builder()
                        .canBeReadOnly(true)
                        .operationTimeout(Duration.ofSeconds(10))
                        .build());
        try {
            ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString() + "/ro");
            Fixtures.awaitConnected(zk);
            assertThat(zk.connectionEvent().readOnly()).isFalse();
            zk.create("config", "v1").block(WAIT);
            ConnectionEvent first = zk.connectionEvent();
            List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
            Disposable recording = zk.connectionEvents().subscribe(events::add);
            try {
                int kept = ensemble.memberOf(zk.zooKeeper());
                long cut = System.nanoTime();
                for (int i = 0; i < ensemble.size(); i++) {
                    if (i != kept) {
                        ensemble.stop(i);
                    }
                }

                await().atMost(WAIT)
                        .until(() -> zk.isConnected() && zk.connectionEvent().readOnly());
                timings.info(
                        "read-only: CONNECTED (read-only) {} ms after the quorum was cut",
                        Duration.ofNanos(System.nanoTime() - cut).toMillis());
                ConnectionEvent readOnly = zk.connectionEvent();
                assertThat(readOnly.sessionId()).isNotEqualTo(first.sessionId());
                assertThat(readOnly.epoch()).isGreaterThan(first.epoch());
                assertThat(new String(zk.getRawData("config").block(WAIT))).isEqualTo("v1");
                assertThatThrownBy(() -> zk.create("refused", "x").block(WAIT))
                        .isInstanceOf(ReadOnlyServerException.class)
                        .hasMessageContaining("/ro/refused")
                        .hasMessageContaining("read-only")
                        .satisfies(e ->
                                assertThat(((ReadOnlyServerException) e).path()).isEqualTo("/ro/refused"));

                long back = System.nanoTime();
                for (int i = 0; i < ensemble.size(); i++) {
                    if (i != kept) {
                        ensemble.start(i);
                    }
                }
                ensemble.awaitQuorum(Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> zk.isConnected() && !zk.connectionEvent().readOnly());
                timings.info(
                        "read-only: CONNECTED (read-write) {} ms after the quorum was restored; events:{}",
                        Duration.ofNanos(System.nanoTime() - back).toMillis(),
                        events.stream().map(e -> "\n  " + e).reduce("", String::concat));

                zk.setData("config", "v2").block(WAIT);
                assertThat(new String(zk.getRawData("config").block(WAIT))).isEqualTo("v2");
                ConnectionEvent readWrite = zk.connectionEvent();
                assertThat(readWrite.epoch()).isGreaterThan(readOnly.epoch());
                assertThat(events)
                        .extracting(ConnectionEvent::state, ConnectionEvent::readOnly, ConnectionEvent::sessionId)
                        .startsWith(
                                tuple(ConnectionState.CONNECTED, false, first.sessionId()),
                                tuple(ConnectionState.SUSPENDED, false, first.sessionId()),
                                tuple(ConnectionState.LOST, false, first.sessionId()),
                                tuple(ConnectionState.CONNECTED, true, readOnly.sessionId()))
                        .containsSubsequence(
                                tuple(ConnectionState.LOST, false, readOnly.sessionId()),
                                tuple(ConnectionState.CONNECTED, false, readWrite.sessionId()));
            } finally {
                recording.dispose();
            }
        } finally {
            service.close(WAIT);
        }
    }
}
