package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

/** The session's own lifecycle: independent of the application's blocking work, and bound to its service's. */
@ExtendWith(ZooKeeperExtension.class)
class SessionLifecycleTest {

    @Test
    void aNewSessionAndItsAdvertisementDoNotWaitForASaturatedBlockingScheduler(Chroot chroot) throws Exception {
        int threads = 2;
        ZooKeeperService service = Fixtures.service(
                ZooKeeperOptions.builder().blockingScheduler(threads, 100).build());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        Disposable.Composite busy = Disposables.composite();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            Fixtures.awaitConnected(zk);
            Advertisement ad =
                    zk.advertise(Map.of("appclass", "Busy"), "run/Busy.").block(WAIT);
            long epoch = zk.connectionEvent().epoch();

            // Every blocking thread held, and more work queued behind them.
            for (int i = 0; i < threads + 3; i++) {
                busy.add(zk.execute(raw -> {
                            running.incrementAndGet();
                            release.await();
                            return raw.getSessionId();
                        })
                        .subscribe());
            }
            await().atMost(WAIT).until(() -> running.get() == threads);

            SessionExpirer.expire(zk.zooKeeper(), chroot.serverConnectString());
            await().atMost(WAIT)
                    .until(() -> zk.isConnected() && zk.connectionEvent().epoch() > epoch);
            long session = zk.connectionEvent().sessionId();
            await().atMost(WAIT).until(() -> {
                String node = chroot.path() + ad.node().orElse("/none");
                Stat stat = SharedZooKeeper.adminClient().exists(node, false);
                return stat != null && stat.getEphemeralOwner() == session;
            });
            assertThat(release.getCount())
                    .as("the blocking scheduler is still saturated")
                    .isEqualTo(1);
            assertThat(running.get()).as("queued work still waits").isEqualTo(threads);
        } finally {
            release.countDown();
            busy.dispose();
            service.close(WAIT);
        }
    }

    @Test
    void aContainerCreatedWhileItsServiceClosesIsRefusedOrClosedWithIt(Chroot chroot) {
        for (int round = 0; round < 50; round++) {
            ZooKeeperService service = Fixtures.service();
            List<ZooKeeperContainer> created = new CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            RaceTestUtils.race(Schedulers.boundedElastic(), () -> service.close(WAIT), () -> {
                try {
                    created.add(service.container(Fixtures.url(chroot)));
                } catch (ClientClosedException e) {
                    refused.incrementAndGet();
                }
            });
            assertThat(created.size() + refused.get()).isEqualTo(1);
            for (ZooKeeperContainer container : created) {
                StepVerifier.create(container.states().last())
                        .as("round " + round + ": the container is closed with its service")
                        .expectNext(ConnectionState.LOST)
                        .expectComplete()
                        .verify(WAIT);
            }
        }
    }

    @Test
    void tryWithResourcesClosesTheSessionAndItsEphemeralNodeIsGoneAtOnce(Chroot chroot) throws Exception {
        String node = chroot.path() + "/eph";
        try (ZooKeeperService service = Fixtures.service();
                ZooKeeperContainer zk = service.container(Fixtures.url(chroot))) {
            zk.connected(WAIT).block();
            zk.create("eph", "x", CreateOptions.of(org.apache.zookeeper.CreateMode.EPHEMERAL))
                    .block(WAIT);
            assertThat(SharedZooKeeper.adminClient().exists(node, false)).isNotNull();
        }
        assertThat(SharedZooKeeper.adminClient().exists(node, false))
                .as("gone at once")
                .isNull();
    }

    @Test
    void closeAsyncClosesEvenWhenNobodySubscribes(Chroot chroot) throws Exception {
        ZooKeeperService service = Fixtures.service();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            zk.connected(WAIT).block();
            zk.create("eph", "x", CreateOptions.of(org.apache.zookeeper.CreateMode.EPHEMERAL))
                    .block(WAIT);

            zk.closeAsync(); // the Mono is dropped

            await().atMost(WAIT)
                    .until(() -> SharedZooKeeper.adminClient().exists(chroot.path() + "/eph", false) == null);
            StepVerifier.create(zk.states().last())
                    .expectNext(ConnectionState.LOST)
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            service.close();
        }
    }

    @Test
    void connectedWaitsForAServerThatIsDownAtStartAndFailsAfterTheCallersBound() {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.builder().build();
        try (ZooKeeperService service = Fixtures.service()) {
            server.start();
            String connectString = server.connectString();
            server.stop();
            ZooKeeperContainer zk = service.container("zookeeper://" + connectString + "/late");

            StepVerifier.create(zk.connected(Duration.ofMillis(300)))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("PT0.3S")
                            .hasMessageContaining("LOST"))
                    .verify(WAIT);
            StepVerifier.create(zk.connected(WAIT))
                    .then(server::start)
                    .assertNext(event -> {
                        assertThat(event.state()).isEqualTo(ConnectionState.CONNECTED);
                        assertThat(event.epoch()).isEqualTo(1);
                    })
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.connected(WAIT))
                    .as("already connected: at once")
                    .assertNext(event -> assertThat(event.sessionId())
                            .isEqualTo(zk.connectionEvent().sessionId()))
                    .expectComplete()
                    .verify(WAIT);
            zk.close();
            StepVerifier.create(zk.connected(WAIT))
                    .expectError(ClientClosedException.class)
                    .verify(WAIT);
            assertThatThrownBy(() -> zk.connected(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT0S");
        } finally {
            server.close();
        }
    }
}
