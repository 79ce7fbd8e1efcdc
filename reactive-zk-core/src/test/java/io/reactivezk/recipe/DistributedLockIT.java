package io.reactivezk.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.NodeException;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The distributed lock on a server of its own, so that its watch count is the lock's alone. */
class DistributedLockIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final AtomicLong ROOTS = new AtomicLong();

    private static EmbeddedZooKeeper server;

    private ZooKeeperService service;

    private String root;

    @BeforeAll
    static void start() {
        server = EmbeddedZooKeeper.startNew();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void newService() {
        root = "/locks-" + ROOTS.incrementAndGet();
        service = ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()));
    }

    @AfterEach
    void closeService() {
        service.close(WAIT);
    }

    private ZooKeeperContainer container() {
        return service.container("zookeeper://" + server.connectString() + root);
    }

    private static int read(ZooKeeperContainer zk) {
        return Integer.parseInt(new String(zk.getRawData("counter").block(WAIT), StandardCharsets.UTF_8));
    }

    @Test
    void tenContendersIncrementACounterAHundredTimesEachUnderTheLock() {
        List<ZooKeeperContainer> contenders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            contenders.add(container());
        }
        contenders.get(0).create("counter", "0").block(WAIT);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHoldersAtOnce = new AtomicInteger();

        // Each increment reads the counter and writes it back at the version it read: two holders at once would make
        // one of the writes fail with BadVersion.
        Flux<Integer> all = Flux.fromIterable(contenders)
                .flatMap(zk -> Flux.range(0, 100)
                        .concatMap(i -> DistributedLock.of(zk).withLock("locks/counter", () -> {
                            mostHoldersAtOnce.accumulateAndGet(holders.incrementAndGet(), Math::max);
                            return zk.getRawDataAndStat("counter")
                                    .flatMap(v -> zk.setData(
                                            "counter",
                                            Integer.toString(
                                                    Integer.parseInt(new String(v.value(), StandardCharsets.UTF_8))
                                                            + 1),
                                            v.stat().getVersion()))
                                    .doFinally(signal -> holders.decrementAndGet())
                                    .thenReturn(i);
                        })));

        StepVerifier.create(all.count()).expectNext(1000L).expectComplete().verify(Duration.ofMinutes(3));

        assertThat(read(contenders.get(0))).as("the counter").isEqualTo(1000);
        assertThat(mostHoldersAtOnce).as("holders at once").hasValue(1);
        assertThat(contenders.get(0).getChildren("locks/counter").block(WAIT))
                .as("nodes left")
                .isEmpty();
        System.out.printf(
                "lock counter: 10 contenders x 100 increments = %d, no BadVersion%n", read(contenders.get(0)));
    }

    @Test
    void aWaiterCancelledByItsTimeoutDeletesItsNodeAndTheHolderKeepsTheLock() {
        ZooKeeperContainer holder = container();
        ZooKeeperContainer waiter = container();
        Lease lease = DistributedLock.of(holder).acquire("locks/a").block(WAIT);

        StepVerifier.create(DistributedLock.of(waiter).acquire("locks/a").timeout(Duration.ofMillis(300)))
                .expectError(TimeoutException.class)
                .verify(WAIT);

        await().alias("only the holder's node is left")
                .atMost(WAIT)
                .until(() -> holder.getChildren("locks/a").block(WAIT), children -> children.size() == 1);
        assertThat("/locks/a/" + holder.getChildren("locks/a").block(WAIT).get(0))
                .isEqualTo(lease.node());
        lease.release().block(WAIT);
        StepVerifier.create(DistributedLock.of(waiter).acquire("locks/a").flatMap(Lease::release))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void releaseHandsTheLockToTheNextWaiterAndIsIdempotent() {
        ZooKeeperContainer a = container();
        ZooKeeperContainer b = container();
        Lease first = DistributedLock.of(a).acquire("locks/b").block(WAIT);
        Mono<Lease> second = DistributedLock.of(b).acquire("locks/b").cache();
        Disposable waiting = second.subscribe();

        // Released from a thread that is not the holder's.
        Mono.defer(first::release).subscribeOn(Schedulers.parallel()).block(WAIT);
        first.release().block(WAIT);

        Lease next = second.block(WAIT);
        assertThat(next.token()).isGreaterThan(first.token());
        assertThat(first.isReleased()).isTrue();
        next.release().block(WAIT);
        waiting.dispose();
    }

    @Test
    void losingTheSessionLosesTheLeaseAndItsFencedWriteFails() {
        ZooKeeperContainer a = container();
        ZooKeeperContainer b = container();
        a.create("resource", "v0").block(WAIT);
        Lease lease = DistributedLock.of(a).acquire("locks/c").block(WAIT);
        lease.guard(a.transaction())
                .setData("resource", "while held", -1)
                .commit()
                .block(WAIT);
        Mono<Void> lost = lease.lost().cache();
        Disposable watching = lost.subscribe();

        SessionExpirer.expire(a.zooKeeper(), server.connectString());

        StepVerifier.create(lost).expectComplete().verify(WAIT);
        StepVerifier.create(DistributedLock.of(b).acquire("locks/c"))
                .assertNext(other -> assertThat(other.token()).isGreaterThan(lease.token()))
                .expectComplete()
                .verify(WAIT);
        assertThatThrownBy(() -> lease.guard(a.transaction())
                        .setData("resource", "after the lease was lost", -1)
                        .commit()
                        .block(WAIT))
                .isInstanceOf(NodeException.class);
        assertThat(new String(b.getRawData("resource").block(WAIT), StandardCharsets.UTF_8))
                .isEqualTo("while held");
        StepVerifier.create(lease.release()).expectComplete().verify(WAIT);
        watching.dispose();
    }

    @Test
    void workThatFailsOrIsCancelledReleasesTheLock() {
        ZooKeeperContainer zk = container();
        DistributedLock locks = DistributedLock.of(zk);

        StepVerifier.create(locks.withLock("locks/d", Mono.error(new IllegalStateException("work failed"))))
                .expectErrorMessage("work failed")
                .verify(WAIT);
        await().atMost(WAIT).until(() -> zk.getChildren("locks/d").block(WAIT).isEmpty());

        StepVerifier.create(locks.withLock("locks/d", Mono.never()).timeout(Duration.ofMillis(200)))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        await().atMost(WAIT).until(() -> zk.getChildren("locks/d").block(WAIT).isEmpty());
    }

    @Test
    void aThousandWaitersEachWatchOnlyTheirPredecessor() {
        ZooKeeperContainer holderContainer = container();
        ZooKeeperContainer waiters = container();
        Lease holder = DistributedLock.of(holderContainer).acquire("locks/many").block(WAIT);
        int watchesBefore = server.watchCount();
        int threadsBefore = Thread.activeCount();
        List<Disposable> pending = new ArrayList<>();
        AtomicInteger acquired = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            pending.add(DistributedLock.of(waiters)
                    .acquire("locks/many")
                    .flatMap(lease -> {
                        acquired.incrementAndGet();
                        return lease.release();
                    })
                    .subscribe());
        }
        String lockDir = root + "/locks/many/";
        await().alias("1,000 waiters queued, each watching one node")
                .atMost(WAIT)
                .until(() -> watchedLockNodes(lockDir).size() == 1000);
        Map<String, java.util.Set<Long>> watched = watchedLockNodes(lockDir);
        List<String> queue =
                waiters.getChildren("locks/many").block(WAIT).stream().sorted().toList();
        int entries = server.watchCount() - watchesBefore;
        System.out.printf(
                "1,000 lock waiters: %d watched nodes, each by %s session(s); %d server watch entries (a persistent"
                        + " watch counts for data and children)%n",
                watched.size(),
                watched.values().stream().map(java.util.Set::size).distinct().toList(),
                entries);
        assertThat(watched.keySet())
                .as("each waiter watches its predecessor: every lock node but the last")
                .containsExactlyInAnyOrderElementsOf(queue.subList(0, queue.size() - 1).stream()
                        .map(n -> lockDir + n)
                        .toList());
        assertThat(acquired).hasValue(0);
        assertThat(Thread.activeCount() - threadsBefore)
                .as("threads added while 1,000 waiters wait: no thread per waiter")
                .isLessThan(20);

        holder.release().block(WAIT);
        await().alias("the lock passed down the whole queue").atMost(WAIT).until(acquired::get, n -> n == 1000);
        await().atMost(WAIT)
                .until(() -> waiters.getChildren("locks/many").block(WAIT).isEmpty());
        pending.forEach(Disposable::dispose);
    }

    /** The lock nodes under a directory that the server holds data watches on, with the sessions watching each. */
    private static Map<String, java.util.Set<Long>> watchedLockNodes(String directory) {
        Map<String, java.util.Set<Long>> watched = new java.util.TreeMap<>();
        server.server().getZKDatabase().getDataTree().getWatchesByPath().toMap().forEach((path, sessions) -> {
            if (path.startsWith(directory)) {
                watched.put(path, sessions);
            }
        });
        return watched;
    }
}
