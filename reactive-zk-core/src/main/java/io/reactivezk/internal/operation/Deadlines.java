package io.reactivezk.internal.operation;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * The operation timeout of a container's fast-path operations, watched by one periodic sweep instead of a timer per
 * operation (a timer costs an allocation, a scheduling and, with one request at a time, a thread wake-up for every
 * operation). Operations join a queue in the order they are sent; as every operation of a container has the same
 * timeout, the queue is in deadline order too, so a sweep drops the finished ones at its head and fails those whose
 * deadline has passed, and stops at the first that is still running in time. The sweep runs only while operations
 * are queued, every {@code period}: an operation times out at most one period late. It stops by itself once the queue
 * is empty, which a closed container's queue soon is: closing the handle fails every request still in flight.
 */
final class Deadlines {

    private final ConcurrentLinkedQueue<OperationMono.Attempt<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final Scheduler scheduler;
    private final long periodNanos;
    /** The next sweep, kept so that a sweep is never a fire-and-forget task. */
    private final Disposable.Swap next = Disposables.swap();

    Deadlines(Scheduler scheduler, long periodNanos) {
        this.scheduler = scheduler;
        this.periodNanos = periodNanos;
    }

    void track(OperationMono.Attempt<?> attempt) {
        queue.offer(attempt);
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            schedule();
        }
    }

    private void schedule() {
        next.update(scheduler.schedule(this::sweep, periodNanos, TimeUnit.NANOSECONDS));
    }

    private void sweep() {
        long now = System.nanoTime();
        OperationMono.Attempt<?> head;
        while ((head = queue.peek()) != null) {
            if (head.isPending() && head.deadline - now > 0) {
                break;
            }
            queue.poll();
            if (head.isPending()) {
                head.timeOut();
            }
        }
        if (!queue.isEmpty()) {
            schedule();
            return;
        }
        sweeping.set(false);
        // An operation queued between the emptiness check and the flag must not be left without a sweep.
        if (!queue.isEmpty() && sweeping.compareAndSet(false, true)) {
            schedule();
        }
    }
}
