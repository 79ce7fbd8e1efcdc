package io.reactivezk.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.examples.bench.ClientBenchmark.Options;
import io.reactivezk.examples.bench.ClientBenchmark.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark working: every cell of a short run (a few hundred operations, one round, an in-process server)
 * completes without a failure and reaches the report. No thresholds on time: figures live in the real run.
 */
class ClientBenchmarkSmokeIT {

    @Test
    void everyCellOfAShortRunCompletesAndIsReported(@TempDir Path out) throws Exception {
        Options options = Options.parse(
                "--server",
                "in-process",
                "--advertisers",
                "20",
                "--watch-cases",
                "2x50",
                "--rounds",
                "1",
                "--warmup",
                "0",
                "--ops-per-cell",
                "300",
                "--nodes",
                "50",
                "--out",
                out.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ClientBenchmark.Outcome outcome =
                ClientBenchmark.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));
        List<Result> results = outcome.operations();

        assertThat(results).as("5 operations x 3 windows x 3 clients").hasSize(45);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.failures())
                    .as(r.contender() + " " + r.op() + " W=" + r.window())
                    .isZero();
            assertThat(r.allocatedBytes()).isPositive();
            assertThat(r.cpuNanos()).isPositive();
        });
        assertThat(outcome.advertisements()).singleElement().satisfies(figures -> {
            assertThat(figures.advertisers()).isEqualTo(20);
            assertThat(figures.requests())
                    .as("the re-advertisements reached the server")
                    .isGreaterThanOrEqualTo(20);
        });
        assertThat(outcome.watches()).singleElement().satisfies(figures -> {
            assertThat(figures.paths()).isEqualTo(2);
            assertThat(figures.delivery()).isPositive();
        });
        Report report = new Report(outcome, options);
        assertThat(report.rows()).hasSize(45);
        assertThat(report.markdown())
                .contains("| getData | 256 | reactive-zk |")
                .contains("| setData | 1 | Curator async |")
                .contains("Cells meeting every target:")
                .contains("| 20 |")
                .contains("| 2 | 50 | 100 |");
        assertThat(report.csv().lines()).hasSize(46);
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse("--rouns", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[rouns]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse("--operations", "getDta"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("getDta");
    }
}
