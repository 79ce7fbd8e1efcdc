package io.reactivezk.examples.bench;

import io.reactivezk.CreateOptions;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperService;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * Watch streams at scale: S subscribers of one path, and P paths with S subscribers each, on one container. Per case:
 * the watches the server holds ({@code wchs}), the heap each subscriber costs, and the time from one change of a node
 * to its delivery to every subscriber of it.
 */
final class WatchScale {

    private static final Pattern TOTAL_WATCHES = Pattern.compile("Total watches:\\s*(\\d+)");
    private static final Duration BOUND = Duration.ofMinutes(5);

    record Figures(
            int paths, int subscribersPerPath, String serverWatches, long heapBytesPerSubscriber, Duration delivery) {

        String markdownRow() {
            return String.format(
                    Locale.ROOT,
                    "| %,d | %,d | %,d | %s | %,d | %.1f |",
                    paths,
                    subscribersPerPath,
                    (long) paths * subscribersPerPath,
                    serverWatches,
                    heapBytesPerSubscriber,
                    delivery.toNanos() / 1e6);
        }
    }

    static String markdownHeader() {
        return "| paths | subscribers per path | subscribers | watches on the server (wchs) | heap bytes per subscriber |"
                + " ms to deliver one change to all of a path's subscribers |\n|---|---|---|---|---|---|";
    }

    private WatchScale() {}

    static Figures run(String connectString, int paths, int subscribersPerPath, PrintStream log) throws Exception {
        try (ZooKeeperService service = ZooKeeperService.create(
                ZooKeeperConfig.empty().withEnvironment(Map.of()), ZooKeeperOptions.defaults())) {
            ZooKeeperContainer zk = service.container("zookeeper://" + connectString + "/reactive-zk-bench-watch");
            zk.deleteRecursive("/").block(BOUND);
            Flux.range(0, paths)
                    .flatMap(
                            i -> zk.create(
                                    "w/n" + i, "0", CreateOptions.persistent().withParents()),
                            256)
                    .then()
                    .block(BOUND);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBefore = settledHeap(memory);
            int total = paths * subscribersPerPath;
            CountDownLatch initial = new CountDownLatch(total);
            CountDownLatch changed = new CountDownLatch(subscribersPerPath);
            Disposable.Composite subscriptions = Disposables.composite();
            for (int p = 0; p < paths; p++) {
                String path = "w/n" + p;
                boolean measured = p == 0;
                for (int s = 0; s < subscribersPerPath; s++) {
                    subscriptions.add(zk.watchData(path).subscribe(new java.util.function.Consumer<NodeSnapshot>() {
                        private boolean seen;

                        @Override
                        public void accept(NodeSnapshot snapshot) {
                            if (!seen) {
                                seen = true;
                                initial.countDown();
                            } else if (measured && snapshot.stat().getVersion() == 1) {
                                changed.countDown();
                            }
                        }
                    }));
                }
            }
            if (!initial.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("not every subscriber got its first value within " + BOUND);
            }
            long heapAfter = settledHeap(memory);
            String watches = serverWatches(connectString);
            long start = System.nanoTime();
            zk.setData("w/n0", "1").block(BOUND);
            if (!changed.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the change did not reach every subscriber within " + BOUND);
            }
            Duration delivery = Duration.ofNanos(System.nanoTime() - start);
            subscriptions.dispose();
            zk.deleteRecursive("/").block(BOUND);
            log.printf("watch scale: %d paths x %d subscribers done%n", paths, subscribersPerPath);
            return new Figures(paths, subscribersPerPath, watches, (heapAfter - heapBefore) / total, delivery);
        }
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100); // let the collector finish, in the benchmark's own thread
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The server's watch count ({@code wchs}), or why it is not known (the word may not be allowed). */
    private static String serverWatches(String connectString) {
        try {
            Matcher m = TOTAL_WATCHES.matcher(ClientBenchmark.fourLetterWord(connectString, "wchs"));
            return m.find() ? String.format(Locale.ROOT, "%,d", Long.parseLong(m.group(1))) : "n/a";
        } catch (Exception e) {
            return "n/a";
        }
    }
}
