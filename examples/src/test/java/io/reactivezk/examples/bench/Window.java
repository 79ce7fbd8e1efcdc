package io.reactivezk.examples.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One cell's load: {@code total} operations with at most {@code width} outstanding. Each completion issues the next
 * operation from the completing thread, so the window stays full without a driver thread in between.
 */
final class Window {

    private final Contender contender;
    private final Operation op;
    private final IntFunction<String> paths;
    private final byte[] payload;
    private final int total;
    private final int width;
    private final long[] starts;
    private final long[] latencies;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable firstFailure;

    Window(Contender contender, Operation op, IntFunction<String> paths, byte[] payload, int total, int width) {
        this.contender = contender;
        this.op = op;
        this.paths = paths;
        this.payload = payload;
        this.total = total;
        this.width = width;
        this.starts = new long[total];
        this.latencies = new long[total];
    }

    /** Runs the load to its end; returns the wall time in nanoseconds. */
    long run(Duration bound) throws InterruptedException {
        long begin = System.nanoTime();
        for (int i = 0; i < width; i++) {
            issueNext();
        }
        if (!done.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(contender.name() + " " + op.label() + ": " + completed.get() + " of "
                    + total + " operations done after " + bound);
        }
        return System.nanoTime() - begin;
    }

    private void issueNext() {
        int index = issued.getAndIncrement();
        if (index < total) {
            starts[index] = System.nanoTime();
            contender.issue(op, paths.apply(index), payload, this, index);
        }
    }

    void completed(int index) {
        latencies[index] = System.nanoTime() - starts[index];
        if (completed.incrementAndGet() == total) {
            done.countDown();
        } else {
            issueNext();
        }
    }

    void failed(int index, Throwable error) {
        if (failures.getAndIncrement() == 0) {
            firstFailure = error;
        }
        completed(index);
    }

    int failures() {
        return failures.get();
    }

    Throwable firstFailure() {
        return firstFailure;
    }

    /** The latency at a quantile (0.5, 0.99) in microseconds. */
    double latencyMicros(double quantile) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        int at = (int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)));
        return sorted[at] / 1_000.0;
    }
}
