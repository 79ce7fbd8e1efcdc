package io.reactivezk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration in ASAB's shape: named sections (such as {@code zookeeper} or {@code my:zk}) of key/value
 * pairs, plus the environment that {@code ASAB_ZOOKEEPER_SERVERS} is read from.
 *
 * <p>A container reads the keys {@code servers}, {@code path} and {@code timeout} of its section; see
 * {@link ZooKeeperSpec#resolve(ZooKeeperConfig, String, String)}. Sections come from a {@link Map}
 * ({@link #of(Map)}), from {@link Properties} such as Spring Boot's ({@link #fromProperties(Properties)}), or from an
 * ASAB-style INI file ({@link #fromIni(Path)}, {@link #parseIni(String)}). A blank value counts as absent.
 *
 * <p>The environment is {@link System#getenv()} unless replaced with {@link #withEnvironment(Map)}, which tests use
 * so that they never depend on the real environment.
 */
public final class ZooKeeperConfig {

    private static final ZooKeeperConfig EMPTY = new ZooKeeperConfig(Map.of(), null);

    private final Map<String, Map<String, String>> sections;

    /** The environment; {@code null} means {@link System#getenv()}. */
    private final @Nullable Map<String, String> environment;

    private ZooKeeperConfig(Map<String, Map<String, String>> sections, @Nullable Map<String, String> environment) {
        this.sections = sections;
        this.environment = environment;
    }

    /**
     * A configuration without sections, reading the system environment.
     *
     * @return the empty configuration
     */
    public static ZooKeeperConfig empty() {
        return EMPTY;
    }

    /**
     * A configuration holding a copy of the given sections, reading the system environment.
     *
     * @param sections section name to (key to value), such as {@code {zookeeper={servers=zk1:2181, path=/asab}}}
     * @return the configuration
     * @throws IllegalArgumentException if a section name or key is blank
     * @throws NullPointerException if the map or any name, key or value in it is null
     */
    public static ZooKeeperConfig of(Map<String, ? extends Map<String, String>> sections) {
        Objects.requireNonNull(sections, "sections must not be null");
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        sections.forEach((name, entries) -> {
            checkSectionName(name);
            Objects.requireNonNull(entries, () -> "section [" + name + "] must not be null");
            Map<String, String> section = new LinkedHashMap<>();
            entries.forEach((key, value) -> {
                checkKey(name, key);
                Objects.requireNonNull(value, () -> "value of [" + name + "] " + key + " must not be null");
                section.put(key, value);
            });
            copy.put(name, Collections.unmodifiableMap(section));
        });
        return new ZooKeeperConfig(Collections.unmodifiableMap(copy), null);
    }

    /**
     * A configuration from properties whose keys are {@code <section>.<key>}, split at the last dot: Spring Boot's
     * {@code zookeeper.servers} is key {@code servers} of section {@code zookeeper}, {@code my:zk.path} is key
     * {@code path} of section {@code my:zk}. Keys without a dot, or with nothing before or after the last dot, name no
     * section and are ignored, so that a whole application's properties can be passed in.
     *
     * @param properties the properties; only their string keys and values are read
     * @return the configuration, reading the system environment
     * @throws NullPointerException if {@code properties} is null
     */
    public static ZooKeeperConfig fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties must not be null");
        Map<String, Map<String, String>> sections = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            int dot = name.lastIndexOf('.');
            if (dot <= 0 || dot == name.length() - 1) {
                continue;
            }
            String section = name.substring(0, dot);
            String key = name.substring(dot + 1);
            if (section.isBlank() || key.isBlank()) {
                continue;
            }
            sections.computeIfAbsent(section, s -> new TreeMap<>()).put(key, properties.getProperty(name));
        }
        return of(sections);
    }

    /**
     * Reads an ASAB-style INI file (UTF-8); see {@link #parseIni(String)} for the syntax.
     *
     * @param file the file to read
     * @return the configuration, reading the system environment
     * @throws ZooKeeperConfigurationException if the file cannot be read or has a malformed line; the message names
     *     the file, and the line number and text of a malformed line
     * @throws NullPointerException if {@code file} is null
     */
    public static ZooKeeperConfig fromIni(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ZooKeeperConfigurationException("cannot read configuration file " + file + ": " + e, e);
        }
        return parse(text, file + ": ");
    }

    /**
     * Parses ASAB-style INI text, as Python's {@code configparser} reads it: {@code [section]} headers, then
     * {@code key = value} or {@code key: value} lines (split at the first {@code =} or {@code :}). Lines whose first
     * non-blank character is {@code #} or {@code ;} are comments; keys are lower-cased; keys, values and section
     * names are trimmed; a value wrapped in double or single quotes is unquoted. A line indented deeper than its key
     * continues the key's value on a new line, and a blank line ends it. A section or a key in one section may appear
     * only once. There is no interpolation and no {@code DEFAULT} section.
     *
     * @param text the INI text
     * @return the configuration, reading the system environment
     * @throws ZooKeeperConfigurationException if a line is malformed (neither header, key/value pair, comment nor
     *     blank), a key comes before any header, or a section or key is repeated; the message names the line number
     *     and the line
     * @throws NullPointerException if {@code text} is null
     */
    public static ZooKeeperConfig parseIni(String text) {
        Objects.requireNonNull(text, "text must not be null");
        return parse(text, "");
    }

    /**
     * A copy of this configuration that reads environment variables from the given map instead of
     * {@link System#getenv()}.
     *
     * @param environment variable name to value; copied
     * @return the new configuration
     * @throws NullPointerException if the map or any name or value in it is null
     */
    public ZooKeeperConfig withEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment must not be null");
        return new ZooKeeperConfig(sections, Map.copyOf(environment));
    }

    /**
     * The value of a key in a section, trimmed.
     *
     * @param section the section name, such as {@code zookeeper}
     * @param key the key, such as {@code servers}
     * @return the trimmed value, or empty if the section or key is missing or the value is blank
     * @throws NullPointerException if either argument is null
     */
    public Optional<String> get(String section, String key) {
        Objects.requireNonNull(section, "section must not be null");
        Objects.requireNonNull(key, "key must not be null");
        Map<String, String> entries = sections.get(section);
        return entries == null ? Optional.empty() : present(entries.get(key));
    }

    /**
     * The value of an environment variable, trimmed, from the map given to {@link #withEnvironment(Map)} or else
     * from {@link System#getenv(String)}.
     *
     * @param name the variable's name, such as {@code ASAB_ZOOKEEPER_SERVERS}
     * @return the trimmed value, or empty if the variable is unset or blank
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<String> environment(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return present(environment == null ? System.getenv(name) : environment.get(name));
    }

    /**
     * The names of the sections, in the order they were given or read.
     *
     * @return the section names; unmodifiable
     */
    public Set<String> sectionNames() {
        return sections.keySet();
    }

    /**
     * The keys and raw (untrimmed, possibly blank) values of one section.
     *
     * @param name the section name
     * @return the section's entries, or an empty map if there is no such section; unmodifiable
     * @throws NullPointerException if {@code name} is null
     */
    public Map<String, String> section(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return sections.getOrDefault(name, Map.of());
    }

    /**
     * Two configurations are equal when they have the same sections with the same entries and read the same
     * environment.
     *
     * @param other the object to compare with
     * @return whether {@code other} is an equal configuration
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return this == other
                || (other instanceof ZooKeeperConfig that
                        && sections.equals(that.sections)
                        && Objects.equals(environment, that.environment));
    }

    /**
     * A hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(sections, environment);
    }

    /**
     * Lists the sections and their keys, without values, and whether the environment is the system's, such as
     * {@code ZooKeeperConfig{[zookeeper] servers, path; [my:zk] timeout; environment=system}}.
     *
     * @return a compact description
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ZooKeeperConfig{");
        sections.forEach((name, entries) -> text.append('[')
                .append(name)
                .append("] ")
                .append(String.join(", ", entries.keySet()))
                .append("; "));
        text.append("environment=").append(environment == null ? "system" : environment.size() + " variables");
        return text.append('}').toString();
    }

    private static Optional<String> present(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.strip());
    }

    private static void checkSectionName(String name) {
        Objects.requireNonNull(name, "section name must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("section name must not be blank: '" + name + "'");
        }
    }

    private static void checkKey(String section, String key) {
        Objects.requireNonNull(key, () -> "key in section [" + section + "] must not be null");
        if (key.isBlank()) {
            throw new IllegalArgumentException("key in section [" + section + "] must not be blank: '" + key + "'");
        }
    }

    private static ZooKeeperConfig parse(String text, String origin) {
        return new IniParser(origin).parse(text);
    }

    /** Reads INI text line by line; one instance per text. */
    private static final class IniParser {

        private final String origin;

        private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

        private @Nullable String sectionName;

        private @Nullable String key;

        private final StringBuilder value = new StringBuilder();

        private int keyIndent;

        IniParser(String origin) {
            this.origin = origin;
        }

        ZooKeeperConfig parse(String text) {
            String body = text.startsWith("\ufeff") ? text.substring(1) : text;
            String[] lines = body.split("\r\n|\r|\n", -1);
            for (int i = 0; i < lines.length; i++) {
                line(i + 1, lines[i]);
            }
            endValue();
            return of(sections);
        }

        private void line(int number, String raw) {
            String line = raw.strip();
            if (line.isEmpty()) {
                endValue();
                return;
            }
            if (line.startsWith("#") || line.startsWith(";")) {
                return;
            }
            int indent = indentOf(raw);
            if (key != null && indent > keyIndent) {
                value.append('\n').append(line);
                return;
            }
            endValue();
            if (line.startsWith("[")) {
                header(number, line);
            } else {
                entry(number, line, indent);
            }
        }

        private void header(int number, String line) {
            if (!line.endsWith("]")) {
                throw malformed(number, line, "a section header must end with ']'");
            }
            String name = line.substring(1, line.length() - 1).strip();
            if (name.isEmpty()) {
                throw malformed(number, line, "a section name must not be empty");
            }
            if (sections.containsKey(name)) {
                throw malformed(number, line, "section [" + name + "] appears twice");
            }
            sections.put(name, new LinkedHashMap<>());
            sectionName = name;
        }

        private void entry(int number, String line, int indent) {
            int equals = line.indexOf('=');
            int colon = line.indexOf(':');
            int delimiter = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
            if (delimiter < 0) {
                throw malformed(number, line, "expected '[section]', 'key = value' or 'key: value'");
            }
            if (sectionName == null) {
                throw malformed(number, line, "a key must follow a '[section]' header");
            }
            String name = line.substring(0, delimiter).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw malformed(number, line, "the key must not be empty");
            }
            if (sections.get(sectionName).containsKey(name)) {
                throw malformed(number, line, "key '" + name + "' appears twice in section [" + sectionName + "]");
            }
            key = name;
            keyIndent = indent;
            value.setLength(0);
            value.append(line.substring(delimiter + 1).strip());
        }

        private void endValue() {
            if (key != null && sectionName != null) {
                sections.get(sectionName).put(key, unquote(value.toString().strip()));
            }
            key = null;
            value.setLength(0);
        }

        private ZooKeeperConfigurationException malformed(int number, String line, String rule) {
            return new ZooKeeperConfigurationException(origin + "line " + number + ": " + rule + ": " + line);
        }

        private static int indentOf(String raw) {
            int indent = 0;
            while (indent < raw.length() && Character.isWhitespace(raw.charAt(indent))) {
                indent++;
            }
            return indent;
        }

        private static String unquote(String value) {
            if (value.length() >= 2) {
                char first = value.charAt(0);
                if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                    return value.substring(1, value.length() - 1);
                }
            }
            return value;
        }
    }
}
