package io.reactivezk.internal.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Python string rules that ASAB's configuration reading depends on, so that a value is cut, trimmed and
 * expanded as CPython does it: {@code str.isspace}, {@code str.strip}, {@code str.lower} and
 * {@code os.path.expandvars}.
 */
final class PyText {

    /** {@code os.path.expandvars}'s pattern; ASCII word characters, as Python compiles it with {@code re.ASCII}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[^}]*})");

    private PyText() {}

    /**
     * Python's {@code str.isspace()} for one UTF-16 unit: Java's {@link Character#isWhitespace(char)} plus the
     * characters Python counts and Java does not (NEL and the three non-breaking spaces).
     */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
    }

    /** Python's {@code str.strip()}. */
    static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Python's {@code str.rstrip()}. */
    static String rstrip(String text) {
        int end = text.length();
        while (end > 0 && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The index of the first character that is not a Python space, or the length if there is none. */
    static int indent(String line) {
        int index = 0;
        while (index < line.length() && isSpace(line.charAt(index))) {
            index++;
        }
        return index;
    }

    /** configparser's {@code optionxform}, {@code str.lower()}. */
    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * Python's {@code os.path.expandvars} on POSIX: {@code $name} and {@code ${name}} are replaced by the variable's
     * value; a variable that is not set stays as written, and a replaced value is not expanded again.
     */
    static String expandVariables(String text, Map<String, String> environment) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        Matcher matcher = VARIABLE.matcher(text);
        int copied = 0;
        int from = 0;
        while (from <= text.length() && matcher.find(from)) {
            String name = matcher.group(1);
            if (name.startsWith("{") && name.endsWith("}")) {
                name = name.substring(1, name.length() - 1);
            }
            String value = environment.get(name);
            if (value == null) {
                from = matcher.end();
                continue;
            }
            out.append(text, copied, matcher.start()).append(value);
            copied = matcher.end();
            from = matcher.end();
        }
        return out.append(text, copied, text.length()).toString();
    }
}
