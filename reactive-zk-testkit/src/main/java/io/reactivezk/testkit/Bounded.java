package io.reactivezk.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs a server shutdown step on its own thread and waits for it with a timeout. ZooKeeper's server code can hang in
 * {@code shutdown()} after a failed start; a test must not hang with it.
 */
final class Bounded {

    private Bounded() {}

    /**
     * Runs {@code action} and waits at most {@code timeout}.
     *
     * @return {@code true} if the action finished in time (successfully or not); {@code false} if it is still running
     * @throws RuntimeException the action's own failure, if it failed in time
     */
    static boolean run(String name, Duration timeout, ThrowingRunnable action) {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        action.run();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (thread.isAlive()) {
            return false;
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error error) {
            throw error;
        }
        if (t != null) {
            throw new IllegalStateException(name + " failed", t);
        }
        return true;
    }

    /** A shutdown step that may throw anything. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
