package io.reactivezk.internal.watch;

import io.reactivezk.TreeEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * One subscriber of a watch stream: what waits for it, how much it asked for, and the drain loop that hands it over.
 *
 * <p>A {@link ServerWatch} offers values from its own serialised loop; the subscriber requests and cancels from any
 * thread. Values are delivered by whichever thread finds the subscriber idle (the offering thread, or the requesting
 * one after a slow subscriber asks for more), or always by a worker of the {@code publishOn} scheduler when one is
 * configured. Nothing here blocks; the only lock guards the tree buffer for a few field updates.
 *
 * @param <T> the element type
 */
abstract class Downstream<T> implements Subscription, Runnable {

    /** Which view of a server watch a subscriber follows. */
    enum Channel {
        DATA,
        CHILDREN,
        TREE
    }

    private static final VarHandle WIP;
    private static final VarHandle REQUESTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WIP = lookup.findVarHandle(Downstream.class, "wip", int.class);
            REQUESTED = lookup.findVarHandle(Downstream.class, "requested", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Channel channel;
    private final CoreSubscriber<? super T> actual;
    private final Watches owner;
    private final Scheduler.@Nullable Worker worker;

    @SuppressWarnings("unused") // accessed through WIP
    private volatile int wip;

    @SuppressWarnings("unused") // accessed through REQUESTED
    private volatile long requested;

    private volatile boolean cancelled;
    private volatile boolean done;
    private @Nullable Throwable error;

    /** The server watch this subscriber is attached to; guarded by the registry's lock. */
    @Nullable
    ServerWatch watch;

    /** Whether the subscriber has left its server watch; guarded by the registry's lock. */
    boolean detached;

    Downstream(Channel channel, CoreSubscriber<? super T> actual, Watches owner, @Nullable Scheduler publishOn) {
        this.channel = channel;
        this.actual = actual;
        this.owner = owner;
        this.worker = publishOn == null ? null : publishOn.createWorker();
    }

    /** The next value to deliver, or null if none waits. */
    abstract @Nullable T poll();

    /** Drops whatever waits. */
    abstract void clear();

    boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            long current;
            long next;
            do {
                current = (long) REQUESTED.getVolatile(this);
                next = Operators.addCap(current, n);
            } while (!REQUESTED.compareAndSet(this, current, next));
            signal();
        }
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        owner.detach(this);
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            clear();
            disposeWorker();
        }
    }

    /** Completes the subscriber once what waits has been delivered. Called by the server watch after detaching. */
    final void complete() {
        done = true;
        signal();
    }

    /** Fails the subscriber once what waits has been delivered. Called by the server watch after detaching. */
    final void fail(Throwable failure) {
        error = failure;
        done = true;
        signal();
    }

    /** Makes sure a drain runs: here, or on the publishOn worker. */
    final void signal() {
        if ((int) WIP.getAndAdd(this, 1) != 0) {
            return;
        }
        Scheduler.Worker w = worker;
        if (w == null) {
            drain();
            return;
        }
        try {
            w.schedule(this);
        } catch (RejectedExecutionException e) {
            cancelled = true;
            owner.detach(this);
            clear();
            actual.onError(Operators.onRejectedExecution(e, actual.currentContext()));
        }
    }

    /** Runs the drain on the publishOn worker. */
    @Override
    public final void run() {
        drain();
    }

    private void drain() {
        int missed = 1;
        for (; ; ) {
            long wanted = (long) REQUESTED.getVolatile(this);
            long emitted = 0;
            while (emitted != wanted) {
                if (cancelled) {
                    clear();
                    disposeWorker();
                    return;
                }
                boolean finished = done;
                T value = poll();
                if (value == null) {
                    if (finished) {
                        terminate();
                        return;
                    }
                    break;
                }
                actual.onNext(value);
                emitted++;
            }
            if (cancelled) {
                clear();
                disposeWorker();
                return;
            }
            if (emitted == wanted && done && isEmpty()) {
                terminate();
                return;
            }
            if (emitted != 0 && wanted != Long.MAX_VALUE) {
                REQUESTED.getAndAdd(this, -emitted);
            }
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
            if (missed == 0) {
                return;
            }
        }
    }

    /** Whether nothing waits. */
    abstract boolean isEmpty();

    private void terminate() {
        cancelled = true;
        Throwable failure = error;
        if (failure != null) {
            actual.onError(failure);
        } else {
            actual.onComplete();
        }
        disposeWorker();
    }

    private void disposeWorker() {
        Scheduler.Worker w = worker;
        if (w != null) {
            w.dispose();
        }
    }

    /**
     * A subscriber of data or children: only the newest value waits, so a slow subscriber skips to the latest one.
     *
     * @param <T> the snapshot type
     */
    static final class Latest<T> extends Downstream<T> {

        private static final VarHandle LATEST;

        static {
            try {
                LATEST = MethodHandles.lookup().findVarHandle(Latest.class, "latest", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // accessed through LATEST
        private volatile @Nullable Object latest;

        Latest(Channel channel, CoreSubscriber<? super T> actual, Watches owner, @Nullable Scheduler publishOn) {
            super(channel, actual, owner, publishOn);
        }

        /** Replaces whatever waits with {@code value} and delivers it if the subscriber wants it. */
        void offer(Object value) {
            LATEST.setVolatile(this, value);
            signal();
        }

        @Override
        @SuppressWarnings("unchecked")
        @Nullable
        T poll() {
            return (T) LATEST.getAndSet(this, (Object) null);
        }

        @Override
        boolean isEmpty() {
            return LATEST.getVolatile(this) == null;
        }

        @Override
        void clear() {
            LATEST.setVolatile(this, (Object) null);
        }
    }

    /**
     * A subscriber of a tree: events wait in a bounded queue. A snapshot of the tree is one queue entry however many
     * nodes it holds, so a subscriber that overflowed needs no more memory than its bound and the shared snapshot.
     */
    static final class Buffered extends Downstream<TreeEvent> {

        private final int limit;
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        private int queued;

        Buffered(CoreSubscriber<? super TreeEvent> actual, Watches owner, @Nullable Scheduler publishOn, int limit) {
            super(Channel.TREE, actual, owner, publishOn);
            this.limit = limit;
        }

        /**
         * Queues an event.
         *
         * @return {@code false}, queuing nothing, if the subscriber already has {@code limit} events waiting
         */
        boolean offer(TreeEvent event) {
            synchronized (queue) {
                if (queued >= limit) {
                    return false;
                }
                queue.add(event);
                queued++;
            }
            signal();
            return true;
        }

        /**
         * Replaces whatever waits with the given events and a snapshot of the tree between them.
         *
         * @param before an event to deliver first, or null
         * @param snapshot the {@code PRESENT} events of the tree as it is now
         * @param after an event to deliver after the snapshot, or null
         */
        void reset(@Nullable TreeEvent before, List<TreeEvent> snapshot, @Nullable TreeEvent after) {
            synchronized (queue) {
                queue.clear();
                queued = 0;
                if (before != null) {
                    queue.add(before);
                    queued++;
                }
                if (!snapshot.isEmpty()) {
                    queue.add(new Cursor(snapshot));
                }
                if (after != null) {
                    queue.add(after);
                    queued++;
                }
            }
            signal();
        }

        @Override
        @Nullable
        TreeEvent poll() {
            synchronized (queue) {
                for (Object head = queue.peek(); head != null; head = queue.peek()) {
                    if (head instanceof Cursor cursor) {
                        if (cursor.next < cursor.events.size()) {
                            return cursor.events.get(cursor.next++);
                        }
                        queue.poll();
                    } else {
                        queue.poll();
                        queued--;
                        return (TreeEvent) head;
                    }
                }
                return null;
            }
        }

        @Override
        boolean isEmpty() {
            synchronized (queue) {
                for (Object entry : queue) {
                    if (!(entry instanceof Cursor cursor) || cursor.next < cursor.events.size()) {
                        return false;
                    }
                }
                return true;
            }
        }

        @Override
        void clear() {
            synchronized (queue) {
                queue.clear();
                queued = 0;
            }
        }

        /** A shared, immutable list of events and how far this subscriber has read it. */
        private static final class Cursor {
            final List<TreeEvent> events;
            int next;

            Cursor(List<TreeEvent> events) {
                this.events = events;
            }
        }
    }
}
