package io.reactivezk.internal.operation;

import io.reactivezk.ZooKeeperClientException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiFunction;
import org.apache.zookeeper.ZooKeeper;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One operation of a container with the success path made cheap: when the container is connected, a subscription
 * issues the request on the live handle at once, the reply completes the subscriber from ZooKeeper's callback, and the
 * operation timeout is watched by the container's one {@link Deadlines} sweep instead of a timer per operation. Only
 * when that does not work out (not connected at subscription, or a transient failure that may be retried) does the
 * operation go on as the general Reactor chain of {@link Operations#slow}: wait for CONNECTED, retry with backoff,
 * time out after what is left of the operation timeout.
 */
final class OperationMono<T> extends Mono<T> {

    final Operations operations;
    final String operation;
    final String path;
    final boolean retryable;
    final Call<T> first;
    final BiFunction<ZooKeeper, Integer, Mono<T>> attempts;

    OperationMono(
            Operations operations,
            String operation,
            String path,
            boolean retryable,
            Call<T> first,
            BiFunction<ZooKeeper, Integer, Mono<T>> attempts) {
        this.operations = operations;
        this.operation = operation;
        this.path = path;
        this.retryable = retryable;
        this.first = first;
        this.attempts = attempts;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        Attempt<T> attempt = new Attempt<>(this, actual);
        actual.onSubscribe(attempt);
        // After onSubscribe: the reply may come on the event thread at once, and must not overtake it.
        attempt.start();
    }

    /** One subscription: the fast attempt, and the general chain if it comes to that. */
    static final class Attempt<T> extends Operators.MonoSubscriber<T, T> implements Reply<T> {

        private static final int NEW = 0;
        private static final int ISSUED = 1;
        private static final int FALLBACK = 2;
        private static final int DONE = 3;
        private static final int CANCELLED = 4;

        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<Attempt> PHASE =
                AtomicIntegerFieldUpdater.newUpdater(Attempt.class, "phase");

        private final OperationMono<T> parent;
        private volatile int phase;

        /** When the operation times out, on {@link System#nanoTime()}'s scale; set before the request is sent. */
        long deadline;

        private volatile @Nullable Fallback fallback;

        /** The handle the request went out on. */
        private @Nullable ZooKeeper handle;

        Attempt(OperationMono<T> parent, CoreSubscriber<? super T> actual) {
            super(actual);
            this.parent = parent;
        }

        void start() {
            if (phase != NEW) {
                return; // cancelled during onSubscribe
            }
            Operations operations = parent.operations;
            ZooKeeper zk = operations.readyHandle();
            if (zk == null) {
                if (PHASE.compareAndSet(this, NEW, FALLBACK)) {
                    subscribeFallback(0, operations.timeoutNanos());
                }
                return;
            }
            handle = zk;
            deadline = System.nanoTime() + operations.timeoutNanos();
            if (!PHASE.compareAndSet(this, NEW, ISSUED)) {
                return;
            }
            operations.deadlines().track(this);
            try {
                parent.first.issue(zk, this);
            } catch (RuntimeException e) {
                if (PHASE.compareAndSet(this, ISSUED, DONE)) {
                    actual.onError(e);
                }
            }
        }

        boolean isPending() {
            return phase == ISSUED;
        }

        @Override
        public void success(@Nullable T value) {
            if (PHASE.compareAndSet(this, ISSUED, DONE)) {
                if (value == null) {
                    actual.onComplete();
                } else {
                    complete(value);
                }
            }
        }

        @Override
        public void failure(ZooKeeperClientException error) {
            if (parent.retryable && error.isTransient() && PHASE.compareAndSet(this, ISSUED, FALLBACK)) {
                parent.operations.retried(parent.operation);
                subscribeFallback(1, deadline - System.nanoTime());
            } else if (PHASE.compareAndSet(this, ISSUED, DONE)) {
                actual.onError(error);
            }
        }

        @Override
        public long sessionId() {
            ZooKeeper zk = handle;
            return zk == null ? 0 : zk.getSessionId();
        }

        @Override
        public void again() {
            if (PHASE.compareAndSet(this, ISSUED, FALLBACK)) {
                subscribeFallback(0, deadline - System.nanoTime());
            }
        }

        /** Called by the sweep once the deadline has passed. */
        void timeOut() {
            if (PHASE.compareAndSet(this, ISSUED, DONE)) {
                actual.onError(parent.operations.timeout(parent.operation, parent.path));
            }
        }

        private void subscribeFallback(int fromAttempt, long remainingNanos) {
            // Not fire-and-forget: the field keeps the subscriber, and cancel() cancels its upstream; its signals go
            // to this operation's subscriber.
            Fallback inner = new Fallback();
            fallback = inner;
            parent.operations
                    .slow(parent.operation, parent.path, parent.retryable, parent.attempts, fromAttempt, remainingNanos)
                    .subscribe(inner);
        }

        @Override
        public void cancel() {
            int before = PHASE.getAndSet(this, CANCELLED);
            if (before == FALLBACK) {
                Fallback inner = fallback;
                if (inner != null) {
                    inner.cancel();
                }
            }
            super.cancel();
        }

        /** The general chain's subscriber: passes its signals on while the operation is in fallback. */
        private final class Fallback implements CoreSubscriber<T> {

            private volatile @Nullable Subscription upstream;

            @Override
            public Context currentContext() {
                return actual.currentContext();
            }

            @Override
            public void onSubscribe(Subscription s) {
                upstream = s;
                if (phase == CANCELLED) {
                    s.cancel();
                } else {
                    s.request(Long.MAX_VALUE);
                }
            }

            @Override
            public void onNext(T value) {
                if (PHASE.compareAndSet(Attempt.this, FALLBACK, DONE)) {
                    complete(value);
                }
            }

            @Override
            public void onError(Throwable error) {
                if (PHASE.compareAndSet(Attempt.this, FALLBACK, DONE)) {
                    actual.onError(error);
                }
            }

            @Override
            public void onComplete() {
                if (PHASE.compareAndSet(Attempt.this, FALLBACK, DONE)) {
                    actual.onComplete();
                }
            }

            void cancel() {
                Subscription s = upstream;
                if (s != null) {
                    s.cancel();
                }
            }
        }
    }
}
