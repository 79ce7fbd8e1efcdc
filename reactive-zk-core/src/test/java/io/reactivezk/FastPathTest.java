package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.FaultyLink;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The operations' success path (the request sent at subscription on the live handle, the timeout watched by the
 * container's sweep) keeps every rule of the general path: the timeout, one signal only, cancellation, a retry after a
 * lost connection, and waiting for a connection.
 */
@ExtendWith(ZooKeeperExtension.class)
class FastPathTest {

    private static final Duration OPERATION_TIMEOUT = Duration.ofMillis(500);

    private FaultyLink link;
    private ZooKeeperService service;
    private ZooKeeperContainer zk;
    private String url;

    @BeforeEach
    void connectThroughAFaultyLink(Chroot chroot) {
        link = FaultyLink.to(chroot.serverConnectString());
        service = ZooKeeperService.create(
                ZooKeeperConfig.of(Map.of("zookeeper", Map.of("timeout", "30"))).withEnvironment(Map.of()),
                ZooKeeperOptions.builder().operationTimeout(OPERATION_TIMEOUT).build());
        url = "zookeeper://" + link.connectString() + chroot.path();
        zk = service.container(url);
        Fixtures.awaitConnected(zk);
        zk.create("node", "value").block(WAIT);
    }

    @AfterEach
    void close() {
        service.close(WAIT);
        link.close();
    }

    @Test
    void aReplyThatDoesNotComeTimesOutOnceAndTheLateReplyIsIgnored() {
        link.holdReplies();
        Signals<byte[]> signals = Signals.of(zk.getRawData("node"));
        await().atMost(WAIT).until(() -> !signals.all().isEmpty());
        assertThat(signals.all()).hasSize(1);
        assertThat(signals.all().get(0))
                .isInstanceOf(OperationTimeoutException.class)
                .asString()
                .contains("getData")
                .contains("PT0.5S");

        link.resume();
        // The held reply is delivered before this read's: afterwards, it has been handled (and dropped).
        assertThat(zk.getRawData("node").block(WAIT))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("value");
        assertThat(signals.all()).as("nothing after the timeout").hasSize(1);
    }

    @Test
    void aCancelledOperationSignalsNothingWhenItsReplyComes() {
        link.holdReplies();
        Signals<byte[]> signals = Signals.of(zk.getRawData("node"));
        signals.cancel();
        link.resume();
        assertThat(zk.getRawData("node").block(WAIT)).isNotNull();
        assertThat(signals.all()).isEmpty();
    }

    @Test
    void aConnectionLostInFlightIsRetriedOnTheNextConnection() {
        // The client waits up to a second before it reconnects: more than this class's short timeout.
        ZooKeeperContainer patient = service.container(
                ZooKeeperSpec.DEFAULT_SECTION,
                url,
                service.options()
                        .mutate()
                        .operationTimeout(Duration.ofSeconds(15))
                        .build());
        Fixtures.awaitConnected(patient);
        link.stall();
        Signals<byte[]> signals = Signals.of(patient.getRawData("node"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> link.heldToServer() > 0);
        link.cut();
        await().atMost(WAIT).until(() -> signals.all().size() == 2);
        assertThat(new String((byte[]) signals.all().get(0), StandardCharsets.UTF_8))
                .isEqualTo("value");
        assertThat(signals.all().get(1)).isEqualTo("complete");
    }

    @Test
    void anOperationSubscribedWhileDisconnectedWaitsForTheConnection() {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.builder().build();
        try (ZooKeeperService own = Fixtures.service()) {
            server.start();
            String url = "zookeeper://" + server.connectString() + "/waiting";
            server.stop();
            ZooKeeperContainer later = own.container(url);
            StepVerifier.create(later.create("made", "while down"))
                    .expectSubscription()
                    .then(server::start)
                    .expectNext("/made")
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            server.close();
        }
    }

    /** Every signal of one subscription, in order: values, the error, or "complete". */
    private static final class Signals<T> implements CoreSubscriber<T> {
        private final List<Object> seen = new CopyOnWriteArrayList<>();
        private volatile Subscription subscription;

        static <T> Signals<T> of(Mono<T> mono) {
            Signals<T> signals = new Signals<>();
            mono.subscribe(signals);
            return signals;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(T value) {
            seen.add(value);
        }

        @Override
        public void onError(Throwable error) {
            seen.add(error);
        }

        @Override
        public void onComplete() {
            seen.add("complete");
        }

        void cancel() {
            subscription.cancel();
        }

        List<Object> all() {
            return seen;
        }
    }
}
