package io.reactivezk.internal.operation;

import io.reactivezk.OperationTimeoutException;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.session.Session;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.zookeeper.ZooKeeper;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Turns one asynchronous ZooKeeper call into a cold {@code Mono} with the container's policies: wait for CONNECTED,
 * retry transient failures where the caller says that is safe, give up after the operation timeout, and publish on
 * the configured scheduler.
 */
public final class Operations {

    private final Session session;
    private final ZooKeeperOptions options;

    public Operations(Session session, ZooKeeperOptions options) {
        this.session = session;
        this.options = options;
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
        if (retryable && options.maxRetries() > 0) {
            guarded = guarded.retryWhen(Retry.backoff(options.maxRetries(), options.retryMinBackoff())
                    .maxBackoff(options.retryMaxBackoff())
                    .filter(Errors::isTransient)
                    .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        }
        guarded = guarded.timeout(options.operationTimeout(), Mono.error(() -> timeout(operation, path)));
        return published(guarded);
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

    private OperationTimeoutException timeout(String operation, String path) {
        return new OperationTimeoutException(
                operation + " " + path + " did not complete within " + options.operationTimeout()
                        + "; the container is " + session.current().state(),
                options.operationTimeout());
    }
}
