package io.reactivezk.internal.session;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written the way ASAB writes them in configuration files: {@code 30} (seconds), {@code 1.5},
 * {@code 500ms}, {@code 1m}, {@code 2h}, {@code 1d}, {@code 1w}, {@code 1M} (30 days), {@code 1y} (365 days).
 */
public final class Durations {

    /** The accepted forms, as error messages list them. */
    public static final String ACCEPTED_FORMS = "a number of seconds (such as 30 or 1.5) or a number followed by"
            + " one of the units ms, s, m (minutes), h, d, w, M (30 days), y (365 days)";

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ms|s|m|h|d|w|M|y)?");

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static final BigDecimal BILLION = BigDecimal.valueOf(NANOS_PER_SECOND);

    private Durations() {}

    /**
     * Parses an ASAB duration. Surrounding whitespace and whitespace between the number and the unit are ignored; the
     * units are case-sensitive ({@code m} is minutes, {@code M} is 30 days). Fractions below a nanosecond are rounded.
     *
     * @param value the text to parse, such as {@code 30}, {@code 0.5}, {@code 500ms} or {@code 1m}
     * @return the duration, never negative
     * @throws IllegalArgumentException if the text is not a duration; the message names the text and the accepted
     *     units
     * @throws NullPointerException if {@code value} is null
     */
    public static Duration parse(String value) {
        Objects.requireNonNull(value, "duration must not be null");
        Matcher matcher = FORMAT.matcher(value.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration: expected " + ACCEPTED_FORMS);
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2);
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit(unit == null ? "s" : unit)))
                .setScale(0, RoundingMode.HALF_UP);
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BILLION);
        try {
            return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is too long a duration", e);
        }
    }

    private static long nanosPerUnit(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> NANOS_PER_SECOND;
            case "m" -> 60 * NANOS_PER_SECOND;
            case "h" -> 3_600 * NANOS_PER_SECOND;
            case "d" -> 86_400 * NANOS_PER_SECOND;
            case "w" -> 7 * 86_400 * NANOS_PER_SECOND;
            case "M" -> 30 * 86_400 * NANOS_PER_SECOND;
            case "y" -> 365 * 86_400 * NANOS_PER_SECOND;
            default -> throw new IllegalStateException("unit not covered by the pattern: " + unit);
        };
    }
}
