package io.reactivezk.recipe;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A create that must run to its end even when the stream that asked for it is cancelled, so that cleanup can wait for
 * it and delete what it made: without this, a cancelled create the server had already received would leave an
 * ephemeral node (a lock held, a candidate queued) until the session ends. The operation's future is kept here
 * until the next one replaces it; {@link #settled()} waits for it.
 */
final class InFlight {

    private volatile CompletableFuture<?> last = CompletableFuture.completedFuture(null);

    /**
     * Starts the operation now; cancelling the returned {@code Mono} does not cancel the operation, and an outcome
     * that arrives after the cancellation is discarded quietly (the caller's next step, or cleanup, deals with it).
     */
    <T> Mono<T> run(Mono<T> operation) {
        return Mono.defer(() -> {
            CompletableFuture<T> future = operation.toFuture();
            last = future;
            CompletableFuture<Outcome<T>> outcome = future.handle(Outcome::new);
            return Mono.fromFuture(outcome, true).flatMap(Outcome::toMono);
        });
    }

    /** A value or an error, so that the future the {@code Mono} waits on never fails after a cancellation. */
    private record Outcome<T>(@Nullable T value, @Nullable Throwable error) {
        Mono<T> toMono() {
            return error != null ? Mono.error(error) : Mono.justOrEmpty(value);
        }
    }

    /** Completes once the last operation has finished, whether it succeeded or not. */
    Mono<Void> settled() {
        return Mono.fromFuture(last, true).then().onErrorResume(e -> Mono.empty());
    }
}
