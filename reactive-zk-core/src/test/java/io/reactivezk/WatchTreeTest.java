package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static io.reactivezk.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.TreeEvent.Type;
import io.reactivezk.testkit.SharedZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

class WatchTreeTest extends ContainerOnAChroot {

    private final Nodes admin = new Nodes(SharedZooKeeper.adminClient());

    private static String describe(TreeEvent event) {
        return event.type() + " " + event.path();
    }

    @Test
    void startsWithEveryNodeParentsFirstThenInitializedThenNestedChanges() {
        seed(chroot.resolve("app/services/api"), "1");
        seed(chroot.resolve("app/services/web"), "2");
        seed(chroot.resolve("app/config"), "3");
        long apiMzxid = admin.stat(chroot.resolve("app/services/api")).getMzxid();

        List<TreeEvent> initial = new CopyOnWriteArrayList<>();
        StepVerifier.create(zk.watchTree("app"))
                .recordWith(() -> initial)
                .expectNextCount(5)
                .expectNextMatches(e -> e.type() == Type.INITIALIZED && e.path().equals("/app") && e.zxid() == -1)
                .then(() -> admin.create(chroot.resolve("app/services/api/v2"), "x"))
                .assertNext(e -> {
                    assertThat(describe(e)).isEqualTo("CREATED /app/services/api/v2");
                    assertThat(e.absolutePath()).isEqualTo(chroot.resolve("app/services/api/v2"));
                    assertThat(e.zxid()).isPositive();
                })
                .then(() -> admin.set(chroot.resolve("app/config"), "4"))
                .assertNext(e -> assertThat(describe(e)).isEqualTo("DATA_CHANGED /app/config"))
                .then(() -> admin.delete(chroot.resolve("app/services/api/v2")))
                .assertNext(e -> assertThat(describe(e)).isEqualTo("DELETED /app/services/api/v2"))
                .thenCancel()
                .verify(WAIT);

        List<TreeEvent> present = initial.subList(0, 5);
        assertThat(present).allSatisfy(e -> assertThat(e.type()).isEqualTo(Type.PRESENT));
        assertThat(present.get(0).path()).isEqualTo("/app");
        assertThat(present)
                .extracting(TreeEvent::path)
                .containsExactlyInAnyOrder(
                        "/app", "/app/config", "/app/services", "/app/services/api", "/app/services/web");
        List<String> order = present.stream().map(TreeEvent::path).toList();
        assertThat(order.indexOf("/app/services")).isLessThan(order.indexOf("/app/services/api"));
        assertThat(present)
                .filteredOn(e -> e.path().equals("/app/services/api"))
                .singleElement()
                .extracting(TreeEvent::zxid)
                .isEqualTo(apiMzxid);
    }

    @Test
    void changeZxidsAreThoseOfTheTransactions() {
        seed(chroot.resolve("z"), "");
        String child = chroot.resolve("z/child");
        AtomicInteger step = new AtomicInteger();
        List<TreeEvent> changes = new CopyOnWriteArrayList<>();

        StepVerifier.create(zk.watchTree("z"))
                .expectNextMatches(e -> e.type() == Type.PRESENT)
                .expectNextMatches(e -> e.type() == Type.INITIALIZED)
                .then(() -> admin.create(child, "a"))
                .consumeNextWith(changes::add)
                .then(() -> admin.set(child, "b"))
                .consumeNextWith(changes::add)
                .then(step::incrementAndGet)
                .thenCancel()
                .verify(WAIT);

        assertThat(step).hasValue(1);
        assertThat(changes.get(0).type()).isEqualTo(Type.CREATED);
        assertThat(changes.get(1).type()).isEqualTo(Type.DATA_CHANGED);
        assertThat(changes.get(1).zxid()).isEqualTo(admin.stat(child).getMzxid());
        assertThat(changes.get(0).zxid()).isEqualTo(admin.stat(child).getCzxid());
    }

    @Test
    void aMissingTopNodeGivesInitializedAloneThenItsCreation() {
        StepVerifier.create(zk.watchTree("nothing/yet").map(WatchTreeTest::describe))
                .expectNext("INITIALIZED /nothing/yet")
                .then(() -> seed(chroot.resolve("nothing/yet/deep"), ""))
                .expectNext("CREATED /nothing/yet", "CREATED /nothing/yet/deep")
                .then(() -> admin.deleteTree(chroot.resolve("nothing")))
                .expectNext("DELETED /nothing/yet/deep", "DELETED /nothing/yet")
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void aLateSubscriberGetsTheCurrentTreeWithoutResync() {
        seed(chroot.resolve("t/a"), "");
        List<TreeEvent> first = new CopyOnWriteArrayList<>();
        var early = zk.watchTree("t").subscribe(first::add);
        try {
            await().atMost(WAIT).until(() -> first.stream().anyMatch(e -> e.type() == Type.INITIALIZED));
            admin.create(chroot.resolve("t/b"), "");
            await().atMost(WAIT).until(() -> first.stream().anyMatch(e -> e.type() == Type.CREATED));

            StepVerifier.create(zk.watchTree("t").map(WatchTreeTest::describe))
                    .expectNext("PRESENT /t", "PRESENT /t/a", "PRESENT /t/b", "INITIALIZED /t")
                    .then(() -> admin.delete(chroot.resolve("t/a")))
                    .expectNext("DELETED /t/a")
                    .thenCancel()
                    .verify(WAIT);
        } finally {
            early.dispose();
        }
    }

    @Test
    void aSubscriberThatFallsBehindItsBufferGetsResyncAndTheTreeAsItIsNow() {
        String top = chroot.resolve("busy");
        seed(top, "");
        Set<String> view = ConcurrentHashMap.newKeySet();
        AtomicInteger resyncs = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        Holding holding = new Holding(view, resyncs, received);
        zk.watchTree("busy", 5).subscribe(holding);
        try {
            await().atMost(WAIT).until(() -> received.get() >= 1);
            for (int i = 0; i < 50; i++) {
                admin.create(top + "/n" + i, "");
            }
            for (int i = 0; i < 50; i += 2) {
                admin.delete(top + "/n" + i);
            }
            holding.release();
            await().atMost(WAIT).untilAsserted(() -> assertThat(view).hasSize(26));
            assertThat(view).contains("/busy", "/busy/n1", "/busy/n49").doesNotContain("/busy/n0");
            assertThat(resyncs.get()).isPositive();
            assertThat(received.get()).as("events delivered").isLessThan(2 + 75);
        } finally {
            holding.dispose();
        }
    }

    /** Requests one event, then nothing until released; applies what it gets to a view of the tree. */
    private static final class Holding extends BaseSubscriber<TreeEvent> {
        private final Set<String> view;
        private final AtomicInteger resyncs;
        private final AtomicInteger received;

        Holding(Set<String> view, AtomicInteger resyncs, AtomicInteger received) {
            this.view = view;
            this.resyncs = resyncs;
            this.received = received;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(TreeEvent event) {
            received.incrementAndGet();
            switch (event.type()) {
                case RESYNC -> {
                    resyncs.incrementAndGet();
                    view.clear();
                }
                case PRESENT, CREATED -> view.add(event.path());
                case DELETED -> view.remove(event.path());
                default -> {}
            }
        }

        void release() {
            request(Long.MAX_VALUE);
        }
    }

    @Test
    void aReplayedViewOfTheStreamMatchesTheServer() {
        String top = chroot.resolve("mirror");
        seed(top + "/a/b", "");
        Map<String, Long> view = new ConcurrentHashMap<>();
        var subscription = zk.watchTree("mirror").subscribe(e -> {
            switch (e.type()) {
                case RESYNC -> view.clear();
                case PRESENT, CREATED, DATA_CHANGED -> view.put(e.absolutePath(), e.zxid());
                case DELETED -> view.remove(e.absolutePath());
                default -> {}
            }
        });
        try {
            for (int i = 0; i < 30; i++) {
                admin.create(top + "/a/b/c" + i, Integer.toString(i));
                admin.set(top + "/a", Integer.toString(i));
            }
            admin.delete(top + "/a/b/c7");
            await().atMost(WAIT).untilAsserted(() -> assertThat(view).hasSize(3 + 29));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(view.get(top + "/a"))
                            .isEqualTo(admin.stat(top + "/a").getMzxid()));
            assertThat(view.get(top + "/a/b/c29"))
                    .isEqualTo(admin.stat(top + "/a/b/c29").getMzxid());
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void argumentsAreCheckedAtCallTime() {
        assertThatThrownBy(() -> zk.watchTree("x", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bufferSize");
        assertThatThrownBy(() -> zk.watchTree("a\u0001")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.watchTree(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theStreamCompletesWhenTheContainerCloses() {
        StepVerifier.create(zk.watchTree("closing").map(WatchTreeTest::describe))
                .expectNext("INITIALIZED /closing")
                .then(() -> zk.closeAsync().block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aSlowSubscriberOfABusyTreeKeepsUpWithoutLosingTheFinalState() {
        String top = chroot.resolve("slow");
        seed(top, "");
        Map<String, Long> view = new ConcurrentHashMap<>();
        AtomicInteger resyncs = new AtomicInteger();
        var subscription = zk.watchTree("slow", 100)
                .limitRate(1)
                .delayElements(Duration.ofMillis(1))
                .subscribe(e -> {
                    switch (e.type()) {
                        case RESYNC -> {
                            resyncs.incrementAndGet();
                            view.clear();
                        }
                        case PRESENT, CREATED, DATA_CHANGED -> view.put(e.absolutePath(), e.zxid());
                        case DELETED -> view.remove(e.absolutePath());
                        default -> {}
                    }
                });
        try {
            admin.create(top + "/hot", "0");
            for (int i = 1; i <= 1_000; i++) {
                admin.setAsync(top + "/hot", Integer.toString(i));
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(admin.text(top + "/hot")).isEqualTo("1000"));
            long finalMzxid = admin.stat(top + "/hot").getMzxid();
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(view.get(top + "/hot")).isEqualTo(finalMzxid));
            assertThat(resyncs.get())
                    .as("resynchronisations of the slow subscriber")
                    .isPositive();
        } finally {
            subscription.dispose();
        }
    }
}
