package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static io.reactivezk.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

@ExtendWith(ZooKeeperExtension.class)
class ContainerBehaviourTest {

    private static final int READS = 400;

    @Test
    void aNewContainerStartsLostAndBecomesConnected(Chroot chroot) {
        ZooKeeperService service = Fixtures.service();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            // Subscribe at once, before anything slow (such as StepVerifier's first use in the JVM): the session
            // connects in the background and a late subscriber would see CONNECTED first.
            List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
            Disposable recording = zk.connectionEvents().take(2).subscribe(events::add);
            try {
                await().atMost(WAIT).until(() -> events.size() == 2);
            } finally {
                recording.dispose();
            }
            assertThat(events.get(0)).satisfies(e -> {
                assertThat(e.state()).isEqualTo(ConnectionState.LOST);
                assertThat(e.sessionId()).isZero();
                assertThat(e.epoch()).isZero();
            });
            assertThat(events.get(1)).satisfies(e -> {
                assertThat(e.state()).isEqualTo(ConnectionState.CONNECTED);
                assertThat(e.sessionId()).isNotZero();
                assertThat(e.epoch()).isEqualTo(1);
                assertThat(e.container()).isEqualTo(zk.name());
            });
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void readsInFlightWhenTheConnectionDropsAreRetriedInTheSameSession(Chroot chroot) {
        seed(chroot.resolve("value"), "v");
        int lostWithoutRetries = 0;
        // Control: without retries the same drop fails some in-flight reads, so the retrying run below is meaningful.
        for (int attempt = 0; attempt < 20 && lostWithoutRetries == 0; attempt++) {
            lostWithoutRetries = burstWithSocketDrop(chroot, 0).failures;
        }
        assertThat(lostWithoutRetries)
                .as("reads lost to the dropped socket without retries")
                .isPositive();

        Burst retried = burstWithSocketDrop(chroot, ZooKeeperOptions.DEFAULT_MAX_RETRIES);
        assertThat(retried.failures).isZero();
        assertThat(retried.successes).isEqualTo(READS);
    }

    record Burst(int successes, int failures) {}

    private static Burst burstWithSocketDrop(Chroot chroot, int maxRetries) {
        ZooKeeperService service = Fixtures.service(
                ZooKeeperOptions.builder().maxRetries(maxRetries).build());
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            Fixtures.awaitConnected(zk);
            long session = zk.connectionEvent().sessionId();
            AtomicInteger failures = new AtomicInteger();
            Mono<Long> reads = Flux.range(0, READS)
                    .flatMap(
                            i -> zk.getRawData("value").onErrorResume(ConnectionLossException.class, e -> {
                                failures.incrementAndGet();
                                return Mono.empty();
                            }),
                            READS)
                    .count()
                    .cache();
            Disposable running = reads.subscribe();
            try {
                zk.zooKeeper().getTestable().closeSocket();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            long successes = reads.block(WAIT);
            running.dispose();
            assertThat(zk.connectionEvent().sessionId()).isEqualTo(session);
            return new Burst((int) successes, failures.get());
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void resultsArriveOnThePublishOnSchedulerWhenOneIsConfigured(Chroot chroot) {
        Scheduler scheduler = Schedulers.newSingle("user-scheduler", true);
        ZooKeeperService service =
                Fixtures.service(ZooKeeperOptions.builder().publishOn(scheduler).build());
        try {
            seed(chroot.resolve("here"), "1");
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            Fixtures.awaitConnected(zk);
            StepVerifier.create(zk.getRawData("here")
                            .map(bytes -> Thread.currentThread().getName()))
                    .assertNext(thread -> assertThat(thread).startsWith("user-scheduler"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.connectionEvents()
                            .take(1)
                            .map(e -> Thread.currentThread().getName()))
                    .assertNext(thread -> assertThat(thread).startsWith("user-scheduler"))
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            service.close(WAIT);
            scheduler.dispose();
        }
    }

    @Test
    void withoutPublishOnResultsArriveOnTheEventThread(Chroot chroot) {
        ZooKeeperService service = Fixtures.service();
        try {
            seed(chroot.resolve("here"), "1");
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            Fixtures.awaitConnected(zk);
            StepVerifier.create(zk.getRawData("here")
                            .map(bytes -> Thread.currentThread().getName()))
                    .assertNext(thread -> assertThat(thread).endsWith("-EventThread"))
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void theServiceClosesEveryContainerAndItsScheduler(Chroot chroot) {
        ZooKeeperService service = Fixtures.service();
        List<ZooKeeperContainer> containers =
                List.of(service.container(Fixtures.url(chroot)), service.container(Fixtures.url(chroot)));
        containers.forEach(Fixtures::awaitConnected);
        assertThat(service.containers()).hasSize(2);

        StepVerifier.create(service.closeAsync()).expectComplete().verify(WAIT);

        assertThat(containers).allSatisfy(c -> assertThat(c.state()).isEqualTo(ConnectionState.LOST));
        assertThat(service.containers()).isEmpty();
        assertThat(service.blockingScheduler().isDisposed()).isTrue();
        StepVerifier.create(service.closeAsync()).expectComplete().verify(Duration.ofSeconds(5));
    }
}
