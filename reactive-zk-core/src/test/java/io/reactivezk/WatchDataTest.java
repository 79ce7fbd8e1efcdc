package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static io.reactivezk.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.SharedZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class WatchDataTest extends ContainerOnAChroot {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");

    record Endpoint(String host, int port) {}

    private final Nodes admin = new Nodes(SharedZooKeeper.adminClient());

    private static Flux<String> texts(Flux<NodeSnapshot> snapshots) {
        return snapshots.map(s -> s.exists() ? s.text() : "<absent>");
    }

    @Nested
    class Changes {

        @Test
        void startsWithTheCurrentValueThenEmitsChangesByAnotherClientInOrder() {
            String node = chroot.resolve("config");
            seed(node, "v0");
            long mzxid = admin.stat(node).getMzxid();

            StepVerifier.create(zk.watchData("config"))
                    .assertNext(s -> {
                        assertThat(s.text()).isEqualTo("v0");
                        assertThat(s.exists()).isTrue();
                        assertThat(s.resync()).isFalse();
                        assertThat(s.path()).isEqualTo("/config");
                        assertThat(s.absolutePath()).isEqualTo(node);
                        assertThat(s.stat().getMzxid()).isEqualTo(mzxid);
                    })
                    .then(() -> admin.set(node, "v1"))
                    .assertNext(s -> assertThat(s.text()).isEqualTo("v1"))
                    .then(() -> admin.set(node, "v2"))
                    .assertNext(s -> assertThat(s.text()).isEqualTo("v2"))
                    .then(() -> admin.set(node, "v2"))
                    .assertNext(s -> {
                        assertThat(s.text())
                                .as("setting equal data is a change too")
                                .isEqualTo("v2");
                        assertThat(s.stat().getVersion()).isEqualTo(3);
                    })
                    .thenCancel()
                    .verify(WAIT);
        }

        @Test
        void aBurstOfChangesArrivesInOrderAndEndsOnTheFinalValue() {
            String node = chroot.resolve("burst");
            seed(node, "0");
            List<Integer> seen = new CopyOnWriteArrayList<>();
            Disposable subscription =
                    zk.watchData("burst").map(s -> Integer.parseInt(s.text())).subscribe(seen::add);
            await().atMost(WAIT).until(() -> seen.contains(0));
            for (int i = 1; i <= 200; i++) {
                admin.setAsync(node, Integer.toString(i));
            }
            await().atMost(WAIT).until(() -> seen.contains(200));
            subscription.dispose();
            assertThat(seen).isSorted().doesNotHaveDuplicates().endsWith(200);
        }

        @Test
        void aDeletedAndRecreatedNodeIsSeenGoingAndComingBack() {
            String node = chroot.resolve("flapping");
            seed(node, "first");

            StepVerifier.create(texts(zk.watchData("flapping")))
                    .expectNext("first")
                    .then(() -> admin.delete(node))
                    .expectNext("<absent>")
                    .then(() -> admin.create(node, "second"))
                    .expectNext("second")
                    .then(() -> admin.delete(node))
                    .expectNext("<absent>")
                    .then(() -> admin.create(node, "second"))
                    .expectNext("second")
                    .thenCancel()
                    .verify(WAIT);
        }

        @Test
        void aMissingNodeStartsAbsentAndEmitsNothingUntilItIsCreated() {
            String node = chroot.resolve("later");

            StepVerifier.create(zk.watchData("later"))
                    .assertNext(s -> {
                        assertThat(s.exists()).isFalse();
                        assertThat(s.data()).isNull();
                        assertThat(s.stat()).isNull();
                    })
                    .then(() -> seed(chroot.resolve("later-sibling"), "not watched"))
                    .expectNoEvent(Duration.ofMillis(300))
                    .then(() -> admin.create(node, ""))
                    .assertNext(s -> {
                        assertThat(s.exists()).isTrue();
                        assertThat(s.data()).isEmpty();
                    })
                    .thenCancel()
                    .verify(WAIT);
        }

        @Test
        void childChangesDoNotEmitData() {
            String node = chroot.resolve("parent");
            seed(node, "p");

            StepVerifier.create(texts(zk.watchData("parent")))
                    .expectNext("p")
                    .then(() -> admin.create(node + "/child", "c"))
                    .expectNoEvent(Duration.ofMillis(300))
                    .then(() -> admin.set(node, "p2"))
                    .expectNext("p2")
                    .thenCancel()
                    .verify(WAIT);
        }
    }

    @Nested
    class Sharing {

        @Test
        void aLateSubscriberGetsTheCurrentValueAtOnce() {
            String node = chroot.resolve("shared");
            seed(node, "a");
            List<String> first = new CopyOnWriteArrayList<>();
            Disposable early = texts(zk.watchData("shared")).subscribe(first::add);
            try {
                await().atMost(WAIT).until(() -> first.contains("a"));
                admin.set(node, "b");
                await().atMost(WAIT).until(() -> first.contains("b"));

                StepVerifier.create(zk.watchData("/shared/"))
                        .assertNext(s -> {
                            assertThat(s.text()).isEqualTo("b");
                            assertThat(s.resync()).isFalse();
                        })
                        .then(() -> admin.set(node, "c"))
                        .assertNext(s -> assertThat(s.text()).isEqualTo("c"))
                        .thenCancel()
                        .verify(WAIT);
                await().atMost(WAIT).until(() -> first.contains("c"));
                assertThat(first).containsExactly("a", "b", "c");
            } finally {
                early.dispose();
            }
        }

        @Test
        void aSlowSubscriberEndsOnTheFinalValueWithoutABacklog() {
            String node = chroot.resolve("fast");
            seed(node, "0");
            int updates = 1_000;
            List<Integer> received = new CopyOnWriteArrayList<>();

            long started = System.nanoTime();
            StepVerifier.create(zk.watchData("fast")
                            .limitRate(1)
                            .delayElements(Duration.ofMillis(5))
                            .map(s -> Integer.parseInt(s.text()))
                            .doOnNext(received::add))
                    .expectNext(0)
                    .then(() -> {
                        for (int i = 1; i <= updates; i++) {
                            admin.setAsync(node, Integer.toString(i));
                        }
                    })
                    .thenConsumeWhile(n -> n < updates)
                    .expectNext(updates)
                    .expectNoEvent(Duration.ofMillis(100))
                    .thenCancel()
                    .verify(WAIT);

            timings.info(
                    "slow data subscriber (5 ms per element): {} updates delivered as {} elements in {} ms",
                    updates,
                    received.size(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(received).isSorted().doesNotHaveDuplicates().endsWith(updates);
            assertThat(received.size()).isLessThan(updates / 2);
        }
    }

    @Nested
    class Typed {

        @Test
        void jsonIsDecodedAndUndecodableDataArrivesAsAnErrorValue() {
            String node = chroot.resolve("endpoint");
            seed(node, "{\"host\":\"10.0.0.1\",\"port\":8080}");

            StepVerifier.create(zk.watchData("endpoint", Endpoint.class))
                    .assertNext(v -> {
                        assertThat(v.value()).isEqualTo(new Endpoint("10.0.0.1", 8080));
                        assertThat(v.failed()).isFalse();
                        assertThat(v.path()).isEqualTo("/endpoint");
                    })
                    .then(() -> admin.set(node, "not json {"))
                    .assertNext(v -> {
                        assertThat(v.failed()).isTrue();
                        assertThat(v.exists()).isTrue();
                        assertThat(v.asOptional()).isEmpty();
                        assertThat(v.error()).isInstanceOf(DataFormatException.class);
                        assertThat(v.error().path()).isEqualTo(node);
                        assertThatThrownBy(v::valueOrThrow).isSameAs(v.error());
                    })
                    .then(() -> admin.set(node, "{\"host\":\"10.0.0.2\",\"port\":9090}"))
                    .assertNext(v -> assertThat(v.valueOrThrow()).isEqualTo(new Endpoint("10.0.0.2", 9090)))
                    .then(() -> admin.delete(node))
                    .assertNext(v -> {
                        assertThat(v.exists()).isFalse();
                        assertThat(v.value()).isNull();
                        assertThat(v.failed()).isFalse();
                    })
                    .thenCancel()
                    .verify(WAIT);
        }

        @Test
        void undecodableDataCanBeSkipped() {
            String node = chroot.resolve("skipping");
            seed(node, "{\"host\":\"a\",\"port\":1}");

            StepVerifier.create(zk.watchData("skipping", Endpoint.class, UndecodableData.SKIP)
                            .map(DataValue::valueOrThrow))
                    .expectNext(new Endpoint("a", 1))
                    .then(() -> admin.set(node, "[1,2]"))
                    .then(() -> admin.set(node, ""))
                    .then(() -> admin.set(node, "{\"host\":\"b\",\"port\":2}"))
                    .expectNext(new Endpoint("b", 2))
                    .thenCancel()
                    .verify(WAIT);
        }

        @Test
        void aSnapshotDecodesJsonWithAnyMapper() {
            seed(chroot.resolve("plain"), "{\"host\":\"h\",\"port\":7}");
            StepVerifier.create(zk.watchData("plain").take(1))
                    .assertNext(s -> assertThat(s.json(service.jsonMapper(), Endpoint.class))
                            .isEqualTo(new Endpoint("h", 7)))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void invalidPathsThrowAtCallTime() {
            assertThatThrownBy(() -> zk.watchData("a//b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a//b");
            assertThatThrownBy(() -> zk.watchData("../x", Endpoint.class)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.watchData(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> zk.watchData("ok", null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> zk.watchData("ok", Endpoint.class, null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void theStreamCompletesWhenTheContainerCloses() {
            seed(chroot.resolve("closing"), "x");
            StepVerifier.create(texts(zk.watchData("closing")))
                    .expectNext("x")
                    .then(() -> zk.closeAsync().block(WAIT))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.watchData("closing")).expectComplete().verify(WAIT);
        }

        @Test
        void withoutPublishOnSignalsArriveOnTheEventThread() {
            seed(chroot.resolve("thread"), "x");
            AtomicReference<String> thread = new AtomicReference<>();
            StepVerifier.create(zk.watchData("thread"))
                    .expectNextCount(1)
                    .then(() -> admin.set(chroot.resolve("thread"), "y"))
                    .assertNext(s -> thread.set(Thread.currentThread().getName()))
                    .thenCancel()
                    .verify(WAIT);
            assertThat(thread.get()).endsWith("-EventThread");
        }

        @Test
        void withPublishOnEverySignalArrivesOnTheScheduler() {
            Scheduler scheduler = Schedulers.newSingle("watch-user", true);
            ZooKeeperService other = Fixtures.service(
                    ZooKeeperOptions.builder().publishOn(scheduler).build());
            try {
                ZooKeeperContainer container = other.container(Fixtures.url(chroot));
                seed(chroot.resolve("scheduled"), "x");
                List<String> threads = new CopyOnWriteArrayList<>();
                StepVerifier.create(container
                                .watchData("scheduled")
                                .doOnEach(signal ->
                                        threads.add(Thread.currentThread().getName())))
                        .expectNextCount(1)
                        .then(() -> admin.set(chroot.resolve("scheduled"), "y"))
                        .expectNextCount(1)
                        .then(() -> container.closeAsync().block(WAIT))
                        .expectComplete()
                        .verify(WAIT);
                assertThat(threads)
                        .hasSize(3)
                        .allSatisfy(name -> assertThat(name).startsWith("watch-user"));
            } finally {
                other.close(WAIT);
                scheduler.dispose();
            }
        }
    }
}
