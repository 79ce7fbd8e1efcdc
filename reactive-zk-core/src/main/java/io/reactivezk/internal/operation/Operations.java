package io.reactivezk.internal.operation;

import io.reactivezk.ConnectionLossException;
import io.reactivezk.NodeException;
import io.reactivezk.OperationTimeoutException;
import io.reactivezk.SessionExpiredException;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.session.Session;
import io.reactivezk.metrics.ContainerMetrics;
import io.reactivezk.metrics.ContainerMetrics.Outcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Turns one asynchronous ZooKeeper call into a cold {@code Mono} with the container's policies: wait for CONNECTED,
 * retry transient failures where the caller says that is safe, give up after the operation timeout, and publish on
 * the configured scheduler.
 */
public final class Operations {

    /** How often the deadline sweep runs, at most: a fraction of the operation timeout, within these bounds. */
    private static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final long MAX_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Session session;
    private final ZooKeeperOptions options;
    private final long timeoutNanos;

    /** One immutable retry spec for every operation of the container; null when retries are off. */
    private final @Nullable RetryBackoffSpec retry;

    private final ContainerMetrics metrics;

    /** Whether operations are timed: only when the options name metrics. */
    private final boolean timed;

    private final Deadlines deadlines;

    public Operations(Session session, ZooKeeperOptions options, ContainerMetrics metrics) {
        this.session = session;
        this.metrics = metrics;
        this.timed = options.metrics().enabled();
        this.options = options;
        this.timeoutNanos = options.operationTimeout().toNanos();
        this.retry = options.maxRetries() > 0
                ? Retry.backoff(options.maxRetries(), options.retryMinBackoff())
                        .maxBackoff(options.retryMaxBackoff())
                        .filter(Errors::isTransient)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure())
                : null;
        long period = Math.max(MIN_SWEEP_NANOS, Math.min(MAX_SWEEP_NANOS, timeoutNanos / 20));
        this.deadlines = new Deadlines(Schedulers.parallel(), period);
    }

    /**
     * An operation whose success path costs no more than the request itself (see {@link OperationMono}): the request
     * goes out at subscription when the container is connected, and everything else (waiting for CONNECTED, retries,
     * the timeout) is paid only when needed. The same call is repeated on a retry.
     *
     * @param operation the operation's name, for errors
     * @param path the absolute path, for errors
     * @param retryable whether repeating the call after a transient failure is safe
     * @param call the request
     * @param <T> the result type
     * @return a cold {@code Mono}
     */
    public <T> Mono<T> call(String operation, String path, boolean retryable, Call<T> call) {
        return call(operation, path, retryable, call, (zk, attempt) -> Calls.mono(zk, call));
    }

    /**
     * Like {@link #call(String, String, boolean, Call)}, with the attempts after the first (or all of them, when the
     * container is not connected at subscription) built by {@code attempts}, which is told the attempt number: a
     * retried write can first check whether its earlier attempt already succeeded.
     *
     * @param operation the operation's name, for errors
     * @param path the absolute path, for errors
     * @param retryable whether repeating the call after a transient failure is safe
     * @param first the first attempt's request, on a connected handle
     * @param attempts builds attempt {@code n} (0 if the first request could not be sent) on a connected handle
     * @param <T> the result type
     * @return a cold {@code Mono}
     */
    public <T> Mono<T> call(
            String operation,
            String path,
            boolean retryable,
            Call<T> first,
            BiFunction<ZooKeeper, Integer, Mono<T>> attempts) {
        Mono<T> mono = published(new OperationMono<>(this, operation, path, retryable, first, attempts));
        return timed ? timed(operation, mono) : mono;
    }

    /** The operation, reported to the metrics with its duration from subscription and its outcome. */
    private <T> Mono<T> timed(String operation, Mono<T> source) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return source.doOnSuccess(value -> metrics.operation(operation, System.nanoTime() - start, Outcome.SUCCESS))
                    .doOnError(error -> metrics.operation(operation, System.nanoTime() - start, outcome(error)))
                    .doOnCancel(() -> metrics.operation(operation, System.nanoTime() - start, Outcome.CANCELLED));
        });
    }

    private static Outcome outcome(Throwable error) {
        if (error instanceof NodeException) {
            return Outcome.NODE_ERROR;
        }
        if (error instanceof OperationTimeoutException) {
            return Outcome.TIMEOUT;
        }
        if (error instanceof ConnectionLossException || error instanceof SessionExpiredException) {
            return Outcome.CONNECTION_LOSS;
        }
        return Outcome.ERROR;
    }

    /** The container's retry spec, counting each retry of {@code operation} when operations are timed. */
    private Retry retrying(String operation, RetryBackoffSpec spec) {
        return timed ? spec.doBeforeRetry(signal -> metrics.retry(operation)) : spec;
    }

    /** An attempt of the operation is repeated after a transient failure. */
    void retried(String operation) {
        metrics.retry(operation);
    }

    /** The general chain, from attempt {@code fromAttempt}, with what is left of the operation timeout. */
    <T> Mono<T> slow(
            String operation,
            String path,
            boolean retryable,
            BiFunction<ZooKeeper, Integer, Mono<T>> attempts,
            int fromAttempt,
            long remainingNanos) {
        return Mono.defer(() -> {
            AtomicInteger next = new AtomicInteger(fromAttempt);
            Mono<T> attempt = session.connected().flatMap(zk -> attempts.apply(zk, next.getAndIncrement()));
            if (retryable && retry != null) {
                attempt = attempt.retryWhen(retrying(operation, retry));
            }
            return attempt.timeout(
                    Duration.ofNanos(Math.max(0, remainingNanos)), Mono.error(() -> timeout(operation, path)));
        });
    }

    @Nullable
    ZooKeeper readyHandle() {
        return session.readyNow();
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    /**
     * Builds the operation from a call that returns a {@code Mono} (see {@link Calls}).
     *
     * @param operation the operation's name, for errors
     * @param path the absolute path, for errors
     * @param retryable whether repeating the call after a transient failure is safe
     * @param call builds the call with the connected handle, at subscription and on each retry
     * @param <T> the result type
     * @return a cold {@code Mono}
     */
    public <T> Mono<T> run(String operation, String path, boolean retryable, Function<ZooKeeper, Mono<T>> call) {
        return policies(operation, path, retryable, session.connected().flatMap(call));
    }

    /**
     * Like {@link #run(String, String, boolean, Function)}, telling the call which attempt it is (0 for the first),
     * so a retried write can first check whether its earlier attempt already succeeded.
     *
     * @param operation the operation's name, for errors
     * @param path the absolute path, for errors
     * @param retryable whether repeating the call after a transient failure is safe
     * @param call builds the call with the connected handle and the attempt number
     * @param <T> the result type
     * @return a cold {@code Mono}
     */
    public <T> Mono<T> runAttempts(
            String operation, String path, boolean retryable, BiFunction<ZooKeeper, Integer, Mono<T>> call) {
        return Mono.defer(() -> {
            AtomicInteger attempts = new AtomicInteger();
            Mono<T> attempt = session.connected().flatMap(zk -> call.apply(zk, attempts.getAndIncrement()));
            return policies(operation, path, retryable, attempt);
        });
    }

    /**
     * Applies retries, the operation timeout and the publish-on scheduler to any attempt.
     *
     * @param operation the operation's name, for errors
     * @param path the absolute path, for errors
     * @param retryable whether repeating the attempt after a transient failure is safe
     * @param attempt the attempt; re-subscribed on retry
     * @param <T> the result type
     * @return the guarded {@code Mono}
     */
    public <T> Mono<T> policies(String operation, String path, boolean retryable, Mono<T> attempt) {
        Mono<T> guarded = attempt;
        if (retryable && retry != null) {
            guarded = guarded.retryWhen(retrying(operation, retry));
        }
        guarded = guarded.timeout(options.operationTimeout(), Mono.error(() -> timeout(operation, path)));
        guarded = published(guarded);
        return timed ? timed(operation, guarded) : guarded;
    }

    /**
     * The connected handle, waited for at most the operation timeout; for work that is not an asynchronous call and
     * is not retried (the blocking fallback).
     *
     * @param operation the operation's name, for the timeout error
     * @return the handle once CONNECTED; fails with {@link OperationTimeoutException} after the operation timeout
     */
    public Mono<ZooKeeper> connected(String operation) {
        return session.connected()
                .timeout(
                        options.operationTimeout(),
                        Mono.error(() -> new OperationTimeoutException(
                                operation + ": no connection within " + options.operationTimeout()
                                        + "; the container is "
                                        + session.current().state(),
                                options.operationTimeout())));
    }

    /**
     * Publishes on the configured scheduler, if any.
     *
     * @param result any result of the container
     * @param <T> the result type
     * @return {@code result}, or {@code result.publishOn(scheduler)}
     */
    public <T> Mono<T> published(Mono<T> result) {
        return options.publishOn() == null ? result : result.publishOn(options.publishOn());
    }

    OperationTimeoutException timeout(String operation, String path) {
        return new OperationTimeoutException(
                operation + " " + path + " did not complete within " + options.operationTimeout()
                        + "; the container is " + session.current().state(),
                options.operationTimeout());
    }
}
