package io.reactivezk.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("30", Duration.ofSeconds(30)),
                Arguments.of("0", Duration.ZERO),
                Arguments.of("1.5", Duration.ofMillis(1500)),
                Arguments.of(".5", Duration.ofMillis(500)),
                Arguments.of("5.", Duration.ofSeconds(5)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("0.5ms", Duration.ofNanos(500_000)),
                Arguments.of("10s", Duration.ofSeconds(10)),
                Arguments.of("1m", Duration.ofMinutes(1)),
                Arguments.of("0.5m", Duration.ofSeconds(30)),
                Arguments.of("2h", Duration.ofHours(2)),
                Arguments.of("1d", Duration.ofDays(1)),
                Arguments.of("1w", Duration.ofDays(7)),
                Arguments.of("1M", Duration.ofDays(30)),
                Arguments.of("1y", Duration.ofDays(365)),
                Arguments.of("  30  ", Duration.ofSeconds(30)),
                Arguments.of("5 s", Duration.ofSeconds(5)),
                Arguments.of("\t250 ms\n", Duration.ofMillis(250)),
                Arguments.of("007", Duration.ofSeconds(7)));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @MethodSource("durations")
    void parsesNumbersAsSecondsAndHonoursUnits(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {"", "  ", "abc", "10x", "ms", "5MS", "5 m s", "-5", "+5", "1e3", "1 0s", "5sec", "1.2.3", "."})
    void rejectsAnythingElseNamingTheValueAndTheUnits(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration")
                .hasMessageContaining("ms, s, m (minutes), h, d, w, M (30 days), y (365 days)");
    }

    @Test
    void unitsAreCaseSensitive() {
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("2M")).isEqualTo(Duration.ofDays(60));
    }

    @Test
    void rejectsDurationsTooLongForJava() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999999y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99999999999999999999999y");
    }

    @Test
    void rejectsNull() {
        assertThatNullPointerException()
                .isThrownBy(() -> Durations.parse(null))
                .withMessage("duration must not be null");
    }
}
