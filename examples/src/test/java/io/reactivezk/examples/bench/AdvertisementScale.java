package io.reactivezk.examples.bench;

import io.reactivezk.Advertisement;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.SessionExpirer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.common.X509Exception;
import reactor.core.publisher.Flux;

/**
 * M containers (each its own session) advertise under one parent, then every session expires at once: how many
 * requests the server receives until all M advertisements are back, and how long that takes. A re-advertisement that
 * lists the parent and reads every sibling makes this grow as M²; one that asks the server for its own ephemeral nodes
 * grows as M.
 */
final class AdvertisementScale {

    private static final Pattern RECEIVED = Pattern.compile("Received: (\\d+)");
    private static final Duration BACK_BOUND = Duration.ofMinutes(5);

    record Figures(int advertisers, long requests, Duration timeToAllBack, long pingsAtMost) {

        String markdownRow() {
            return String.format(
                    Locale.ROOT,
                    "| %,d | %,d | %.1f | %,d | %,d |",
                    advertisers,
                    requests,
                    (double) requests / advertisers,
                    pingsAtMost,
                    timeToAllBack.toMillis());
        }
    }

    static String markdownHeader() {
        return "| advertisers M | requests the server received | per advertiser | of them not the advertisers' own"
                + " (expiry handles, pings), at most |"
                + " ms until all M are back |\n|---|---|---|---|---|";
    }

    private AdvertisementScale() {}

    static Figures run(String connectString, int advertisers, PrintStream log) throws Exception {
        Duration sessionTimeout = Duration.ofSeconds(30);
        ZooKeeperConfig config = ZooKeeperConfig.of(
                        Map.of("zookeeper", Map.of("timeout", Long.toString(sessionTimeout.toSeconds()))))
                .withEnvironment(Map.of());
        try (ZooKeeperService service = ZooKeeperService.create(config, ZooKeeperOptions.defaults())) {
            String url = "zookeeper://" + connectString + "/reactive-zk-bench-ads";
            List<ZooKeeperContainer> containers = new ArrayList<>();
            for (int i = 0; i < advertisers; i++) {
                containers.add(service.container(url));
            }
            List<Advertisement> ads = Flux.range(0, advertisers)
                    .flatMapSequential(
                            i -> containers.get(i).advertise(Map.of("host", "h" + i, "port", 8000 + i), "run/App."), 64)
                    .collectList()
                    .block(BACK_BOUND);
            List<Optional<String>> before =
                    ads.stream().map(Advertisement::node).toList();
            log.printf("advertisement scale: %d advertisements placed%n", advertisers);

            long received = received(connectString);
            long start = System.nanoTime();
            ExecutorService expirers = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> expiring = new ArrayList<>();
                for (ZooKeeperContainer container : containers) {
                    expiring.add(expirers.submit(() -> SessionExpirer.expire(container.zooKeeper(), connectString)));
                }
                for (Future<?> f : expiring) {
                    f.get(BACK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                }
            } finally {
                expirers.shutdownNow();
            }
            Flux.range(0, advertisers)
                    .flatMap(i -> ads.get(i)
                            .nodes()
                            .filter(node -> !Optional.of(node).equals(before.get(i)))
                            .take(1))
                    .then()
                    .block(BACK_BOUND);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long requests = received(connectString) - received;
            // Each expiry connects and closes one extra session (2 requests), and an idle client pings every third of
            // its session timeout: the upper bound of what is not the advertisements' own work.
            long pings = advertisers * (2 + (took.toMillis() / (sessionTimeout.toMillis() / 3) + 1));
            for (ZooKeeperContainer container : containers) {
                container.closeAsync().block(BACK_BOUND);
            }
            return new Figures(advertisers, requests, took, pings);
        }
    }

    /** The server's count of received requests, from {@code srvr} (the one four-letter word servers allow by default). */
    private static long received(String connectString) throws IOException, X509Exception.SSLContextException {
        Matcher m = RECEIVED.matcher(ClientBenchmark.fourLetterWord(connectString, "srvr"));
        if (!m.find()) {
            throw new IllegalStateException("the server's srvr answer has no 'Received:' line");
        }
        return Long.parseLong(m.group(1));
    }
}
