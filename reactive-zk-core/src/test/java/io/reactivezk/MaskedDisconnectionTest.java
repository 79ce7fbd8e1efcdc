package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.FaultyLink;
import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Disconnections that ZooKeeper's client reports to a watcher instead of the session: a watch removal in flight when
 * the connection drops fails with CONNECTIONLOSS, the client tells the removed watcher with an event carrying the
 * Disconnected state, and then drops the real Disconnected event as a repeat. Made deterministic with a link that
 * holds the removal request back and then cuts the connection.
 */
@ExtendWith(ZooKeeperExtension.class)
class MaskedDisconnectionTest {

    private FaultyLink link;
    private ZooKeeperService service;
    private Chroot chroot;

    @BeforeEach
    void linkToTheServer(Chroot chroot) {
        this.chroot = chroot;
        link = FaultyLink.to(chroot.serverConnectString());
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close(WAIT);
        }
        link.close();
    }

    private ZooKeeperContainer container(String timeout) {
        service = ZooKeeperService.create(
                ZooKeeperConfig.of(Map.of("zookeeper", Map.of("timeout", timeout)))
                        .withEnvironment(Map.of()),
                ZooKeeperOptions.defaults());
        ZooKeeperContainer zk = service.container("zookeeper://" + link.connectString() + chroot.path());
        Fixtures.awaitConnected(zk);
        return zk;
    }

    /** Holds the next request back, lets {@code request} send one, then cuts the connection under it. */
    private void cutWhileInFlight(Runnable request) {
        link.stall();
        request.run();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> link.heldToServer() > 0);
        link.cut();
    }

    /**
     * Lets the container remove one watch while nothing fails: its first removal asks the server which removal it
     * supports (and so is not local); later ones are local, as in a long-running service. The read after it returns
     * once the removal's answer has been handled, as ZooKeeper answers in order.
     */
    private static void learnHowTheServerRemovesWatches(ZooKeeperContainer zk) {
        Fixtures.seed(zk.spec().rootPath() + "/warm-up", "");
        zk.watchData("warm-up").next().block(WAIT);
        zk.exists("warm-up").block(WAIT);
    }

    private static List<ConnectionState> statesAfter(WatchResilienceIT.Recorder<ConnectionEvent> events, int from) {
        return events.elements.subList(from, events.elements.size()).stream()
                .map(ConnectionEvent::state)
                .toList();
    }

    @Test
    void aStreamCancelledAsTheConnectionDropsStillLetsTheContainerSeeTheDisconnection() throws Exception {
        ZooKeeperContainer zk = container("10s");
        Fixtures.seed(chroot.path() + "/short", "x");
        Fixtures.seed(chroot.path() + "/config", "before");
        try (WatchResilienceIT.Recorder<NodeSnapshot> config =
                        new WatchResilienceIT.Recorder<>(zk.watchData("config"));
                WatchResilienceIT.Recorder<NodeSnapshot> shortLived =
                        new WatchResilienceIT.Recorder<>(zk.watchData("short"));
                WatchResilienceIT.Recorder<ConnectionEvent> events =
                        new WatchResilienceIT.Recorder<>(zk.connectionEvents())) {
            await().atMost(WAIT).until(() -> !config.elements.isEmpty() && !shortLived.elements.isEmpty());
            learnHowTheServerRemovesWatches(zk);
            int before = events.elements.size();

            cutWhileInFlight(shortLived::close); // the last subscriber leaves: the server watch is removed
            SharedZooKeeper.adminClient().setData(chroot.path() + "/config", "after".getBytes(), -1);

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statesAfter(events, before))
                            .containsExactly(ConnectionState.SUSPENDED, ConnectionState.CONNECTED));
            await().atMost(WAIT).until(() -> "after".equals(config.last().text()));
            assertThat(config.last().resync())
                    .as("re-read after the reconnection")
                    .isTrue();
        }
    }

    @Test
    void aDisconnectionReportedOnlyToAnApplicationsOwnWatcherIsStillSeenAtTheReconnection() throws Exception {
        ZooKeeperContainer zk = container("10s");
        Fixtures.seed(chroot.path() + "/config", "before");
        ZooKeeper raw = zk.zooKeeper();
        String own = chroot.path() + "/own";
        raw.addWatch(own, event -> {}, AddWatchMode.PERSISTENT);
        try (WatchResilienceIT.Recorder<NodeSnapshot> config =
                        new WatchResilienceIT.Recorder<>(zk.watchData("config"));
                WatchResilienceIT.Recorder<ConnectionEvent> events =
                        new WatchResilienceIT.Recorder<>(zk.connectionEvents())) {
            await().atMost(WAIT).until(() -> !config.elements.isEmpty());
            int before = events.elements.size();

            // The application's removal, not the container's, swallows the Disconnected event.
            cutWhileInFlight(
                    () -> raw.removeAllWatches(own, WatcherType.Persistent, true, (rc, path, ctx) -> {}, null));
            SharedZooKeeper.adminClient().setData(chroot.path() + "/config", "after".getBytes(), -1);

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statesAfter(events, before))
                            .containsExactly(ConnectionState.SUSPENDED, ConnectionState.CONNECTED));
            await().atMost(WAIT).until(() -> "after".equals(config.last().text()));
        }
    }

    @Test
    void aSilentPartitionIsGivenUpAfterTheSessionTimeoutAlthoughWatchesChurn() {
        ZooKeeperContainer zk = container("2s");
        Fixtures.seed(chroot.path() + "/short", "x");
        learnHowTheServerRemovesWatches(zk);
        AtomicLong rounds = new AtomicLong();
        Disposable churn = Mono.defer(() -> zk.watchData("short").next())
                .timeout(Duration.ofMillis(30))
                .onErrorResume(e -> Mono.empty())
                .doOnTerminate(rounds::incrementAndGet)
                .repeat()
                .subscribe();
        try (WatchResilienceIT.Recorder<ConnectionEvent> events =
                new WatchResilienceIT.Recorder<>(zk.connectionEvents())) {
            await().atMost(WAIT).until(() -> rounds.get() > 20);
            long epoch = zk.connectionEvent().epoch();
            int before = events.elements.size();
            link.stall();
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statesAfter(events, before))
                            .containsExactly(ConnectionState.SUSPENDED, ConnectionState.LOST));
            assertThat(link.isStalled())
                    .as("given up while the partition lasts")
                    .isTrue();
            link.resume();
            await().atMost(WAIT)
                    .until(() -> zk.isConnected() && zk.connectionEvent().epoch() > epoch);
        } finally {
            churn.dispose();
        }
    }
}
