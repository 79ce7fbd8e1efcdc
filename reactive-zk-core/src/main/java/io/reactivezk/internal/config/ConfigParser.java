package io.reactivezk.internal.config;

import io.reactivezk.ZooKeeperConfigurationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Python's {@code configparser.ConfigParser} as ASAB builds it ({@code strict}, delimiters {@code =} and {@code :},
 * full-line comments {@code #} and {@code ;} and no inline comments, blank lines kept inside indented values, a
 * {@code DEFAULT} section, lower-cased keys, extended interpolation), holding every value with the place it was
 * read from so that errors can name it.
 *
 * <p>Reading follows configparser's {@code _read}: one text at a time, later texts overriding earlier ones; a
 * section or key repeated within one text is an error, across texts it is an override. After each text every value
 * held, old or new, passes through the {@code beforeRead} hook, as configparser's {@code _join_multiline_values}
 * does (ASAB expands environment variables there). {@link #get} and {@link #items} interpolate at the time of the
 * call, as configparser does.
 */
final class ConfigParser {

    static final String DEFAULT_SECTION = "DEFAULT";

    /** configparser's {@code MAX_INTERPOLATION_DEPTH}. */
    private static final int MAX_DEPTH = 10;

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");

    /** Parse errors after which configparser keeps reading; it reports them together at the end, and so do we. */
    private static final int MAX_REPORTED_LINES = 5;

    /** One value and where it was set last; {@code lines} holds a value while its text is being read. */
    private static final class Slot {
        String value = "";

        @Nullable
        List<String> lines;

        final String origin;

        Slot(List<String> lines, String origin) {
            this.lines = lines;
            this.origin = origin;
        }

        Slot(String value, String origin) {
            this.value = value;
            this.origin = origin;
        }
    }

    private final Map<String, Slot> defaults = new LinkedHashMap<>();

    private final Map<String, Map<String, Slot>> sections = new LinkedHashMap<>();

    /** Whether a section (not {@code DEFAULT}) exists, as configparser's {@code has_section}. */
    boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    /** The sections in the order they were first read, without {@code DEFAULT}. */
    List<String> sections() {
        return new ArrayList<>(sections.keySet());
    }

    /** configparser's {@code add_section} where the section may already exist (ASAB's {@code add_defaults}). */
    void ensureSection(String name) {
        sections.computeIfAbsent(name, n -> new LinkedHashMap<>());
    }

    /** Whether the section itself (not {@code DEFAULT}) holds the key. */
    boolean hasOwnKey(String section, String key) {
        Map<String, Slot> entries = sections.get(section);
        return entries != null && entries.containsKey(PyText.lower(key));
    }

    /**
     * configparser's {@code set}: the section must exist (or be {@code DEFAULT}), the key is lower-cased, and the
     * value must be valid extended-interpolation syntax.
     */
    void set(String section, String key, String value, String origin) {
        checkSyntax(value, origin, section, key);
        Map<String, Slot> entries = section.equals(DEFAULT_SECTION) ? defaults : sections.get(section);
        if (entries == null) {
            throw new ZooKeeperConfigurationException(origin + ": no section [" + section + "] to set " + key + " in");
        }
        entries.put(PyText.lower(key), new Slot(value, origin));
    }

    /**
     * configparser's {@code read_dict}: sections and keys from a parsed JSON or YAML document, each key once per
     * section (after lower-casing), values set with {@link #set}.
     */
    void readDictionary(Map<String, Map<String, String>> dictionary, String source) {
        Set<String> added = new HashSet<>();
        dictionary.forEach((section, entries) -> {
            if (!section.equals(DEFAULT_SECTION) && sections.containsKey(section) && added.contains(section)) {
                throw new ZooKeeperConfigurationException(
                        source + ": section [" + section + "] appears twice (configparser: DuplicateSectionError)");
            }
            if (!section.equals(DEFAULT_SECTION)) {
                ensureSection(section);
            }
            added.add(section);
            entries.forEach((key, value) -> {
                String name = PyText.lower(key);
                if (!added.add(section + '\0' + name)) {
                    throw new ZooKeeperConfigurationException(source + ": key '" + name + "' appears twice in section ["
                            + section + "] (configparser: DuplicateOptionError)");
                }
                set(section, name, value, source);
            });
        });
    }

    /**
     * Reads one text as configparser's {@code _read} does.
     *
     * @param text the text
     * @param source how errors and origins name the text, such as a file's path
     * @param universalNewlines whether {@code \r\n} and {@code \r} end lines as well as {@code \n} (a file opened by
     *     Python in text mode); {@code read_string} splits at {@code \n} only
     * @param beforeRead applied to every value held once the text is read
     */
    void read(String text, String source, boolean universalNewlines, UnaryOperator<String> beforeRead) {
        ZooKeeperConfigurationException parseError = new TextReader(source).read(text, universalNewlines);
        for (Slot slot : defaults.values()) {
            finish(slot, beforeRead);
        }
        for (Map<String, Slot> entries : sections.values()) {
            for (Slot slot : entries.values()) {
                finish(slot, beforeRead);
            }
        }
        if (parseError != null) {
            throw parseError;
        }
    }

    private static void finish(Slot slot, UnaryOperator<String> beforeRead) {
        List<String> lines = slot.lines;
        if (lines != null) {
            slot.value = PyText.rstrip(String.join("\n", lines));
            slot.lines = null;
        }
        slot.value = beforeRead.apply(slot.value);
    }

    /**
     * configparser's {@code get(section, key)}: the section's own value or else {@code DEFAULT}'s, interpolated.
     *
     * @return the value, or {@code null} if the section or the key is missing
     */
    @Nullable
    String get(String section, String key) {
        Map<String, Slot> view = view(section);
        if (view == null) {
            return null;
        }
        String name = PyText.lower(key);
        Slot slot = view.get(name);
        return slot == null ? null : interpolate(section, name, slot, view);
    }

    /**
     * configparser's {@code items(section)}: {@code DEFAULT}'s keys, then the section's own, each interpolated.
     *
     * @throws ZooKeeperConfigurationException if a value cannot be interpolated or the section does not exist
     */
    Map<String, String> items(String section) {
        Map<String, Slot> view = view(section);
        if (view == null) {
            throw new ZooKeeperConfigurationException("no section [" + section + "]");
        }
        Map<String, String> values = new LinkedHashMap<>();
        view.forEach((key, slot) -> values.put(key, interpolate(section, key, slot, view)));
        return values;
    }

    /** The keys a section sees: {@code DEFAULT}'s, overridden by its own; {@code null} if there is no such section. */
    private @Nullable Map<String, Slot> view(String section) {
        if (section.equals(DEFAULT_SECTION)) {
            return defaults;
        }
        Map<String, Slot> own = sections.get(section);
        if (own == null) {
            return null;
        }
        Map<String, Slot> view = new LinkedHashMap<>(defaults);
        view.putAll(own);
        return view;
    }

    private String interpolate(String section, String key, Slot slot, Map<String, Slot> view) {
        StringBuilder out = new StringBuilder();
        interpolate(new Reference(section, key, slot), out, slot.value, section, view, 1);
        return out.toString();
    }

    /** The value being read by the caller, which interpolation errors name. */
    private record Reference(String section, String key, Slot slot) {
        String describe() {
            return slot.origin + ": [" + section + "] " + key + " = " + slot.value;
        }
    }

    /** configparser's {@code ExtendedInterpolation._interpolate_some}. */
    private void interpolate(
            Reference top, StringBuilder out, String rest, String section, Map<String, Slot> view, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ZooKeeperConfigurationException(top.describe() + ": references nest deeper than " + MAX_DEPTH
                    + " levels, probably a reference to itself (configparser: InterpolationDepthError)");
        }
        String text = rest;
        while (!text.isEmpty()) {
            int dollar = text.indexOf('$');
            if (dollar < 0) {
                out.append(text);
                return;
            }
            out.append(text, 0, dollar);
            text = text.substring(dollar);
            char next = text.length() > 1 ? text.charAt(1) : '\0';
            if (text.length() > 1 && next == '$') {
                out.append('$');
                text = text.substring(2);
            } else if (text.length() > 1 && next == '{') {
                Matcher matcher = REFERENCE.matcher(text);
                if (!matcher.lookingAt()) {
                    throw new ZooKeeperConfigurationException(top.describe() + ": '" + text
                            + "' is not a ${key} or ${section:key} reference (configparser: InterpolationSyntaxError)");
                }
                String reference = matcher.group(1);
                text = text.substring(matcher.end());
                String[] parts = reference.split(":", -1);
                if (parts.length > 2) {
                    throw new ZooKeeperConfigurationException(top.describe() + ": '${" + reference
                            + "}' has more than one ':' (configparser: InterpolationSyntaxError)");
                }
                String targetSection = parts.length == 1 ? section : parts[0];
                String targetKey = PyText.lower(parts.length == 1 ? parts[0] : parts[1]);
                Map<String, Slot> targetView = parts.length == 1 ? view : view(targetSection);
                Slot target = targetView == null ? null : targetView.get(targetKey);
                if (target == null) {
                    throw new ZooKeeperConfigurationException(top.describe() + ": '${" + reference + "}' refers to "
                            + (targetView == null
                                    ? "section [" + targetSection + "], which does not exist"
                                    : "key '" + targetKey + "', which section [" + targetSection
                                            + "] and [DEFAULT] do not have")
                            + " (configparser: InterpolationMissingOptionError)");
                }
                if (target.value.indexOf('$') >= 0) {
                    interpolate(top, out, target.value, targetSection, view(targetSection), depth + 1);
                } else {
                    out.append(target.value);
                }
            } else {
                throw new ZooKeeperConfigurationException(
                        top.describe() + ": '$' must be followed by '$' or '{', found '"
                                + text + "'; an environment variable that is not set stays as written"
                                + " (configparser: InterpolationSyntaxError)");
            }
        }
    }

    /** configparser's {@code ExtendedInterpolation.before_set}. */
    private static void checkSyntax(String value, String origin, String section, String key) {
        String rest = REFERENCE.matcher(value.replace("$$", "")).replaceAll("");
        if (rest.indexOf('$') >= 0) {
            throw new ZooKeeperConfigurationException(origin + ": [" + section + "] " + key + " = " + value
                    + ": invalid interpolation syntax, a '$' that is neither '$$' nor a ${...} reference"
                    + " (configparser: ValueError)");
        }
    }

    /** configparser's {@code _read} over one text. */
    private final class TextReader {

        private final String source;

        private final Set<String> added = new HashSet<>();

        private @Nullable Map<String, Slot> current;

        private @Nullable String sectionName;

        private @Nullable String option;

        private int indentLevel;

        private final List<String> badLines = new ArrayList<>();

        TextReader(String source) {
            this.source = source;
        }

        /** Reads the lines; returns the lines configparser reports at the end of the text, or {@code null}. */
        @Nullable
        ZooKeeperConfigurationException read(String text, boolean universalNewlines) {
            String[] lines = text.split(universalNewlines ? "\r\n|\r|\n" : "\n", -1);
            int count = lines.length;
            if (count > 0 && lines[count - 1].isEmpty()) {
                count--;
            }
            for (int i = 0; i < count; i++) {
                line(i + 1, lines[i]);
            }
            if (badLines.isEmpty()) {
                return null;
            }
            return new ZooKeeperConfigurationException(source + " "
                    + String.join("; ", badLines.subList(0, Math.min(badLines.size(), MAX_REPORTED_LINES)))
                    + (badLines.size() > MAX_REPORTED_LINES
                            ? "; and " + (badLines.size() - MAX_REPORTED_LINES) + " more"
                            : "")
                    + " (configparser: ParsingError)");
        }

        private void line(int number, String line) {
            String stripped = PyText.strip(line);
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            String value = comment ? "" : stripped;
            Slot slot = openSlot();
            if (value.isEmpty()) {
                if (!comment && slot != null) {
                    slot.lines.add("");
                }
                return;
            }
            int indent = PyText.indent(line);
            if (slot != null && indent > indentLevel) {
                slot.lines.add(value);
                return;
            }
            indentLevel = indent;
            int close = value.lastIndexOf(']');
            if (value.startsWith("[") && close >= 2) {
                header(number, value.substring(1, close));
            } else if (current == null) {
                throw new ZooKeeperConfigurationException(source + " line " + number + ": '" + line
                        + "' comes before the first [section] header (configparser: MissingSectionHeaderError)");
            } else {
                entry(number, line, value);
            }
        }

        /** The value that a blank or deeper-indented line would continue, or {@code null}. */
        private @Nullable Slot openSlot() {
            if (current == null || option == null || option.isEmpty()) {
                return null;
            }
            Slot slot = current.get(option);
            return slot != null && slot.lines != null ? slot : null;
        }

        private void header(int number, String name) {
            if (sections.containsKey(name)) {
                if (added.contains(name)) {
                    throw new ZooKeeperConfigurationException(source + " line " + number + ": section [" + name
                            + "] appears twice (configparser: DuplicateSectionError)");
                }
                current = sections.get(name);
                added.add(name);
            } else if (name.equals(DEFAULT_SECTION)) {
                current = defaults;
            } else {
                current = new LinkedHashMap<>();
                sections.put(name, current);
                added.add(name);
            }
            sectionName = name;
            option = null;
        }

        private void entry(int number, String line, String value) {
            int delimiter = delimiter(value);
            if (delimiter < 0) {
                badLines.add("line " + number + ": '" + line + "' is neither [section] nor key = value");
                return;
            }
            String name = PyText.lower(PyText.rstrip(value.substring(0, delimiter)));
            if (name.isEmpty()) {
                badLines.add(
                        "line " + number + " '" + line + "' has no key before its '" + value.charAt(delimiter) + "'");
            }
            if (!added.add(sectionName + '\0' + name)) {
                throw new ZooKeeperConfigurationException(source + " line " + number + ": key '" + name
                        + "' appears twice in section [" + sectionName + "] (configparser: DuplicateOptionError)");
            }
            List<String> lines = new ArrayList<>();
            lines.add(PyText.strip(value.substring(delimiter + 1)));
            current.put(name, new Slot(lines, source + " line " + number));
            option = name;
        }

        private static int delimiter(String value) {
            int equals = value.indexOf('=');
            int colon = value.indexOf(':');
            return equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
        }
    }
}
