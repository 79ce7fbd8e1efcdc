package io.reactivezk.examples.bench;

import io.reactivezk.examples.bench.ClientBenchmark.Options;
import io.reactivezk.examples.bench.ClientBenchmark.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The benchmark's results as a Markdown report (medians over rounds, ratios per round) and as CSV (every cell). */
final class Report {

    static final String RAW = "raw async";
    static final String REACTIVE = "reactive-zk";
    static final String CURATOR = "Curator async";

    private final List<Result> results;
    private final List<AdvertisementScale.Figures> advertisements;
    private final List<WatchScale.Figures> watches;
    private final Options options;

    Report(ClientBenchmark.Outcome outcome, Options options) {
        this.results = List.copyOf(outcome.operations());
        this.advertisements = List.copyOf(outcome.advertisements());
        this.watches = List.copyOf(outcome.watches());
        this.options = options;
    }

    /** One row of the report: a contender in one (operation, window) cell, over all rounds. */
    record Row(
            Operation op,
            int window,
            String contender,
            double throughput,
            double minThroughput,
            double maxThroughput,
            double ratioToRaw,
            double p50,
            double p99,
            double cpuPerOp,
            double bytesPerOp,
            double switchesPerOp,
            int failures) {}

    List<Row> rows() {
        Map<String, List<Result>> cells = new LinkedHashMap<>();
        for (Result r : results) {
            cells.computeIfAbsent(r.op() + "/" + r.window() + "/" + r.contender(), k -> new ArrayList<>())
                    .add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (List<Result> cell : cells.values()) {
            Result first = cell.get(0);
            List<Double> ratios = new ArrayList<>();
            for (Result r : cell) {
                Result raw = results.stream()
                        .filter(o -> o.round() == r.round()
                                && o.op() == r.op()
                                && o.window() == r.window()
                                && o.contender().equals(RAW))
                        .findFirst()
                        .orElseThrow();
                ratios.add(r.throughput() / raw.throughput());
            }
            rows.add(new Row(
                    first.op(),
                    first.window(),
                    first.contender(),
                    median(cell, Result::throughput),
                    cell.stream().mapToDouble(Result::throughput).min().orElse(0),
                    cell.stream().mapToDouble(Result::throughput).max().orElse(0),
                    median(ratios, Double::doubleValue),
                    median(cell, Result::p50Micros),
                    median(cell, Result::p99Micros),
                    median(cell, Result::cpuMicrosPerOp),
                    median(cell, Result::bytesPerOp),
                    median(cell, Result::switchesPerOp),
                    cell.stream().mapToInt(Result::failures).sum()));
        }
        List<String> order = List.of(RAW, REACTIVE, CURATOR);
        rows.sort((a, b) -> {
            int c = a.op().compareTo(b.op());
            if (c == 0) {
                c = Integer.compare(a.window(), b.window());
            }
            return c != 0 ? c : Integer.compare(order.indexOf(a.contender()), order.indexOf(b.contender()));
        });
        return rows;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        if (!results.isEmpty()) {
            md.append(operationsMarkdown());
        }
        if (!advertisements.isEmpty()) {
            md.append(
                            "\nAdvertisement scale (M containers advertise under one parent; every session expires at once):\n\n")
                    .append(AdvertisementScale.markdownHeader())
                    .append('\n');
            for (AdvertisementScale.Figures figures : advertisements) {
                md.append(figures.markdownRow()).append('\n');
            }
        }
        if (!watches.isEmpty()) {
            md.append("\nWatch scale (one container; each subscriber a watchData stream):\n\n")
                    .append(WatchScale.markdownHeader())
                    .append('\n');
            for (WatchScale.Figures figures : watches) {
                md.append(figures.markdownRow()).append('\n');
            }
        }
        return md.toString();
    }

    private String operationsMarkdown() {
        List<Row> rows = rows();
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Rounds: %d measured (+%d warm-up), %d operations per cell, %d-byte payloads on %d nodes."
                        + " Medians over rounds; ÷ raw is the median of the per-round ratios.%n%n",
                options.rounds(),
                options.warmupRounds(),
                options.opsPerCell(),
                options.payloadBytes(),
                options.nodes()));
        md.append("| operation | W | client | ops/s (min–max) | ÷ raw | p50 µs | p99 µs | CPU µs/op | B/op |"
                + " ctx sw/op |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %,.0f (%,.0f–%,.0f) | %.2f | %.0f | %.0f | %.1f | %,.0f | %.2f |%s%n",
                    r.op().label(),
                    r.window(),
                    r.contender(),
                    r.throughput(),
                    r.minThroughput(),
                    r.maxThroughput(),
                    r.ratioToRaw(),
                    r.p50(),
                    r.p99(),
                    r.cpuPerOp(),
                    r.bytesPerOp(),
                    r.switchesPerOp(),
                    r.failures() > 0 ? " **" + r.failures() + " failed**" : ""));
        }
        md.append("\n").append(targets(rows));
        return md.toString();
    }

    /** reactive-zk against the targets of the performance issue, cell by cell. */
    private String targets(List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("Targets (reactive-zk against raw async in the same cell; Curator for the CPU comparison):\n\n");
        md.append("| operation | W | B/op − raw (≤ 300) | CPU ÷ raw (≤ 1.05) | CPU < Curator | ops/s ÷ raw (≥ 0.97) |"
                + " ctx sw ÷ raw (≤ 1.10) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        int cells = 0;
        int met = 0;
        for (Row reactive : rows) {
            if (!reactive.contender().equals(REACTIVE)) {
                continue;
            }
            Row raw = find(rows, reactive, RAW);
            Row curator = find(rows, reactive, CURATOR);
            double extraBytes = reactive.bytesPerOp() - raw.bytesPerOp();
            double cpuRatio = reactive.cpuPerOp() / raw.cpuPerOp();
            double switchRatio = reactive.switchesPerOp() / raw.switchesPerOp();
            boolean[] ok = {
                extraBytes <= 300,
                cpuRatio <= 1.05,
                curator == null || reactive.cpuPerOp() < curator.cpuPerOp(),
                reactive.ratioToRaw() >= 0.97,
                Double.isNaN(switchRatio) || switchRatio <= 1.10
            };
            cells++;
            boolean all = true;
            for (boolean b : ok) {
                all &= b;
            }
            met += all ? 1 : 0;
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %+,.0f %s | %.2f %s | %s %s | %.2f %s | %.2f %s |%n",
                    reactive.op().label(),
                    reactive.window(),
                    extraBytes,
                    mark(ok[0]),
                    cpuRatio,
                    mark(ok[1]),
                    curator == null
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.1f vs %.1f", reactive.cpuPerOp(), curator.cpuPerOp()),
                    mark(ok[2]),
                    reactive.ratioToRaw(),
                    mark(ok[3]),
                    switchRatio,
                    mark(ok[4])));
        }
        md.append(String.format(Locale.ROOT, "%nCells meeting every target: %d of %d.%n", met, cells));
        return md.toString();
    }

    private static String mark(boolean ok) {
        return ok ? "✓" : "✗";
    }

    private static Row find(List<Row> rows, Row like, String contender) {
        return rows.stream()
                .filter(r -> r.op() == like.op()
                        && r.window() == like.window()
                        && r.contender().equals(contender))
                .findFirst()
                .orElse(null);
    }

    String csv() {
        StringBuilder csv = new StringBuilder(
                "round,operation,window,client,ops,wall_ns,ops_per_s,p50_us,p99_us,cpu_us_per_op,bytes_per_op,"
                        + "ctx_switches_per_op,failures\n");
        for (Result r : results) {
            csv.append(String.join(
                            ",",
                            Arrays.asList(
                                    Integer.toString(r.round()),
                                    r.op().label(),
                                    Integer.toString(r.window()),
                                    r.contender(),
                                    Integer.toString(r.ops()),
                                    Long.toString(r.wallNanos()),
                                    fmt(r.throughput()),
                                    fmt(r.p50Micros()),
                                    fmt(r.p99Micros()),
                                    fmt(r.cpuMicrosPerOp()),
                                    fmt(r.bytesPerOp()),
                                    fmt(r.switchesPerOp()),
                                    Integer.toString(r.failures()))))
                    .append('\n');
        }
        return csv.toString();
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> metric) {
        double[] sorted = values.stream()
                .mapToDouble(metric)
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
