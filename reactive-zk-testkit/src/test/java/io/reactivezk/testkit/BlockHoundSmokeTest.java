package io.reactivezk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Proves that BlockHound is installed in this JVM and guards both Reactor's threads and ZooKeeper's event thread. */
class BlockHoundSmokeTest {

    @Test
    void blockingOnAReactorParallelThreadIsDetected() {
        Mono<Object> blocking = Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return new Object();
                })
                .subscribeOn(Schedulers.parallel());

        StepVerifier.create(blocking)
                .expectErrorMatches(e -> e instanceof BlockingOperationError)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void blockingInAZooKeeperCallbackIsDetectedOnTheEventThread() throws Exception {
        try (TestClients client = new TestClients(SharedZooKeeper.server().connectString(), 30_000)) {
            client.await(KeeperState.SyncConnected, 10);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<String> thread = new CompletableFuture<>();

            client.zk.exists(
                    "/",
                    false,
                    (rc, path, ctx, stat) -> {
                        thread.complete(Thread.currentThread().getName());
                        try {
                            Thread.sleep(1);
                            outcome.complete(new AssertionError("sleep on the event thread was not detected"));
                        } catch (Throwable t) {
                            outcome.complete(t);
                        }
                    },
                    null);

            assertThat(thread.get(10, TimeUnit.SECONDS)).endsWith("-EventThread");
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(BlockingOperationError.class);
        }
    }

    @Test
    void theEventLoopItselfAndAsyncCallsFromCallbacksAreAllowed() throws Exception {
        try (TestClients client = new TestClients(SharedZooKeeper.server().connectString(), 30_000)) {
            client.await(KeeperState.SyncConnected, 10);
            CompletableFuture<Integer> nested = new CompletableFuture<>();

            client.zk.exists(
                    "/",
                    false,
                    (rc, path, ctx, stat) -> {
                        try {
                            client.zk.exists("/", false, (rc2, path2, ctx2, stat2) -> nested.complete(rc2), null);
                        } catch (Throwable t) {
                            nested.completeExceptionally(t);
                        }
                    },
                    null);

            assertThat(nested.get(10, TimeUnit.SECONDS)).isZero();
        }
    }
}
