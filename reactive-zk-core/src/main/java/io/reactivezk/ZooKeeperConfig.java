package io.reactivezk;

import io.reactivezk.internal.config.AsabConfigLoader;
import io.reactivezk.internal.config.ZooKeeperIncludes;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

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

    private static final ZooKeeperConfig EMPTY = new ZooKeeperConfig(Map.of(), Map.of(), List.of(), null);

    private final Map<String, Map<String, String>> sections;

    /** Sections read from ASAB files whose values cannot be interpolated: section name to the error's message. */
    private final Map<String, String> failures;

    private final List<String> sources;

    /** The environment; {@code null} means {@link System#getenv()}. */
    private final @Nullable Map<String, String> environment;

    private ZooKeeperConfig(
            Map<String, Map<String, String>> sections,
            Map<String, String> failures,
            List<String> sources,
            @Nullable Map<String, String> environment) {
        this.sections = sections;
        this.failures = failures;
        this.sources = sources;
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
        return new ZooKeeperConfig(Collections.unmodifiableMap(copy), Map.of(), List.of(), null);
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
     * Reads an ASAB application's configuration file exactly as ASAB does, with its includes, in the system
     * environment and the process's working directory; the same as {@code loader().load(file)}. See
     * {@link Loader} for what is read, and {@link Loader#loadAsync(Path, ZooKeeperService)} for a configuration
     * that includes a ZooKeeper node. This reads files: call it at start-up or on a blocking scheduler, not on a
     * Reactor non-blocking thread.
     *
     * @param file the file to read
     * @return the configuration, reading the system environment
     * @throws ZooKeeperConfigurationException if a file cannot be read, is malformed or includes a ZooKeeper node;
     *     the message names the file, the line and the rule
     * @throws NullPointerException if {@code file} is null
     */
    public static ZooKeeperConfig fromIni(Path file) {
        return loader().load(file);
    }

    /**
     * Parses INI text as ASAB reads its main configuration file (see {@link Loader}), with the working directory
     * standing for the file's directory ({@code ${THIS_DIR}}, relative includes); the same as
     * {@code loader().parse(text)}.
     *
     * @param text the INI text
     * @return the configuration, reading the system environment
     * @throws ZooKeeperConfigurationException if the text is malformed (the message names the line and the rule) or
     *     an include fails
     * @throws NullPointerException if {@code text} is null
     */
    public static ZooKeeperConfig parseIni(String text) {
        return loader().parse(text);
    }

    /**
     * A reader of ASAB configuration files, in the system environment and the process's working directory until
     * told otherwise.
     *
     * @return the loader
     */
    public static Loader loader() {
        return new Loader(null, null);
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
        return new ZooKeeperConfig(sections, failures, sources, Map.copyOf(environment));
    }

    /**
     * The value of a key in a section, trimmed.
     *
     * @param section the section name, such as {@code zookeeper}
     * @param key the key, such as {@code servers}
     * @return the trimmed value, or empty if the section or key is missing or the value is blank
     * @throws ZooKeeperConfigurationException if the section was read from ASAB files and one of its values cannot
     *     be interpolated (ASAB fails when it reads such a section); the message names the file, line and reference
     * @throws NullPointerException if either argument is null
     */
    public Optional<String> get(String section, String key) {
        Objects.requireNonNull(section, "section must not be null");
        Objects.requireNonNull(key, "key must not be null");
        Map<String, String> entries = section(section);
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
     * The names of the sections, in the order they were given or read, including those whose values cannot be
     * interpolated (those come last). A configuration read from ASAB files always has {@code general}, as ASAB's
     * does.
     *
     * @return the section names; unmodifiable
     */
    public Set<String> sectionNames() {
        if (failures.isEmpty()) {
            return sections.keySet();
        }
        Set<String> names = new java.util.LinkedHashSet<>(sections.keySet());
        names.addAll(failures.keySet());
        return Collections.unmodifiableSet(names);
    }

    /**
     * The keys and raw (untrimmed, possibly blank) values of one section.
     *
     * @param name the section name
     * @return the section's entries, or an empty map if there is no such section; unmodifiable
     * @throws ZooKeeperConfigurationException if the section was read from ASAB files and one of its values cannot
     *     be interpolated; the message names the file, line and reference
     * @throws NullPointerException if {@code name} is null
     */
    public Map<String, String> section(String name) {
        Objects.requireNonNull(name, "name must not be null");
        String failure = failures.get(name);
        if (failure != null) {
            throw new ZooKeeperConfigurationException(failure);
        }
        return sections.getOrDefault(name, Map.of());
    }

    /**
     * What this configuration was read from, in the order read: file paths as found (relative ones relative to the
     * working directory), {@code <text>} for {@link #parseIni(String)}, and {@code zookeeper://} includes as
     * written. Empty for configurations not read from ASAB files.
     *
     * @return the sources; unmodifiable
     */
    public List<String> sources() {
        return sources;
    }

    /**
     * Two configurations are equal when they have the same sections with the same entries (and the same sections
     * that cannot be interpolated) and read the same environment; where they were read from does not count.
     *
     * @param other the object to compare with
     * @return whether {@code other} is an equal configuration
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return this == other
                || (other instanceof ZooKeeperConfig that
                        && sections.equals(that.sections)
                        && failures.equals(that.failures)
                        && Objects.equals(environment, that.environment));
    }

    /**
     * A hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(sections, failures, environment);
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
                .append(']')
                .append(entries.isEmpty() ? "" : " " + String.join(", ", entries.keySet()))
                .append("; "));
        failures.keySet().forEach(name -> text.append('[').append(name).append("] (cannot be interpolated); "));
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

    /**
     * Reads an ASAB application's configuration exactly as ASAB's {@code asab.Config} does (a Python
     * {@code configparser.ConfigParser} with ASAB's interpolation and includes), so that a Java service deployed with
     * the same files gets the same servers, root and timeout as the ASAB service beside it. What is read, in order:
     *
     * <ol>
     *   <li>the main file: the one given, or for {@link #load()} the one {@code ASAB_CONFIG} names (none when it is
     *       unset or empty);
     *   <li>ASAB's default of {@code [zookeeper] servers}, {@code ASAB_ZOOKEEPER_SERVERS}, where the main file does
     *       not set that key itself (a {@code [DEFAULT]} value does not count, as in ASAB);
     *   <li>{@code [general] include}: files and {@code zookeeper://} nodes, separated by newlines if there are any and
     *       else by spaces, read in order, depth first (an included file's own {@code include} is read right after
     *       it), each file once; later values override earlier ones. Globs ({@code *}, {@code ?}, {@code [...]}) and
     *       relative paths are resolved against the working directory, as in ASAB (not against the including file:
     *       write {@code ${THIS_DIR}/site.conf} for that), in the directory's order; a pattern that matches
     *       nothing is skipped, as in ASAB.
     * </ol>
     *
     * <p>Each file follows configparser's rules: {@code key = value} or {@code key: value}, keys lower-cased,
     * section names as written (case and spaces count), full-line comments only ({@code #} or {@code ;}; a
     * {@code #} after a value is part of it), values continued on deeper-indented lines (blank lines inside kept),
     * quotes kept as written, a section or key repeated within one file an error. Values are expanded as ASAB
     * expands them: environment variables ({@code $NAME}, {@code ${NAME}}; an unset one stays as written, and then
     * fails interpolation unless written {@code $$}) when the file is read, with {@code THIS_DIR} the directory of
     * the file being read; then configparser's extended interpolation ({@code ${key}}, {@code ${section:key}},
     * {@code $$}) when a section is read, with {@code [DEFAULT]}'s keys visible in every section. A section with a
     * value that cannot be interpolated is kept as an error that {@link #get} and {@link #section} throw, as ASAB
     * fails only when it reads that section.
     *
     * <p>Where ASAB fails, this fails with a {@link ZooKeeperConfigurationException} naming the file, the line and
     * the rule; where this is stricter (an include cycle; a file that exists but cannot be read, which ASAB skips)
     * it fails too. It never reads a file differently from ASAB without failing. ASAB's own built-in defaults
     * (such as {@code [general] tick_period}) are not part of the result; a reference to one fails as missing.
     *
     * <p>A loader is immutable; each setting returns a new one.
     */
    public static final class Loader {

        private final @Nullable Map<String, String> environment;

        private final @Nullable Path workingDirectory;

        private Loader(@Nullable Map<String, String> environment, @Nullable Path workingDirectory) {
            this.environment = environment;
            this.workingDirectory = workingDirectory;
        }

        /**
         * Reads environment variables from the given map instead of {@link System#getenv()}, both for expanding
         * values and for {@code ASAB_CONFIG} and {@code ASAB_ZOOKEEPER_SERVERS}; the configurations it returns
         * read it too.
         *
         * @param environment variable name to value; copied
         * @return a loader with that environment
         * @throws NullPointerException if the map or any name or value in it is null
         */
        public Loader environment(Map<String, String> environment) {
            Objects.requireNonNull(environment, "environment must not be null");
            return new Loader(Map.copyOf(environment), workingDirectory);
        }

        /**
         * Resolves relative paths and globs against the given directory instead of the process's working
         * directory ({@code user.dir}).
         *
         * @param directory the directory
         * @return a loader with that directory
         * @throws NullPointerException if {@code directory} is null
         */
        public Loader workingDirectory(Path directory) {
            Objects.requireNonNull(directory, "directory must not be null");
            return new Loader(environment, directory);
        }

        /**
         * Reads a configuration file and its includes. Blocking (it reads files); for a configuration that
         * includes a ZooKeeper node use {@link #loadAsync(Path, ZooKeeperService)}.
         *
         * @param file the main file
         * @return the configuration
         * @throws ZooKeeperConfigurationException if a file cannot be read or is malformed, an include is invalid,
         *     or the configuration includes a {@code zookeeper://} node; nothing is returned half-loaded
         * @throws NullPointerException if {@code file} is null
         */
        public ZooKeeperConfig load(Path file) {
            Objects.requireNonNull(file, "file must not be null");
            return loadWithoutZooKeeper(file, null);
        }

        /**
         * Reads the file {@code ASAB_CONFIG} names, as an ASAB application does when no file is given; without it,
         * only {@code ASAB_ZOOKEEPER_SERVERS}. Blocking, as {@link #load(Path)}.
         *
         * @return the configuration
         * @throws ZooKeeperConfigurationException as {@link #load(Path)}, and if {@code ASAB_CONFIG} names a file
         *     that does not exist (ASAB exits then)
         */
        public ZooKeeperConfig load() {
            return loadWithoutZooKeeper(mainFile(), null);
        }

        /**
         * Parses INI text as the main file, with the working directory standing for its directory. Blocking if
         * it includes files.
         *
         * @param text the text
         * @return the configuration
         * @throws ZooKeeperConfigurationException as {@link #load(Path)}
         * @throws NullPointerException if {@code text} is null
         */
        public ZooKeeperConfig parse(String text) {
            Objects.requireNonNull(text, "text must not be null");
            return loadWithoutZooKeeper(null, text);
        }

        /**
         * Reads a configuration file and its includes, {@code zookeeper://} nodes among them, without blocking the
         * caller: files are read on the service's {@linkplain ZooKeeperService#blockingScheduler() blocking
         * scheduler}, and each node through a short-lived container of the service (with its options: credentials
         * and TLS apply), closed once the node is read. A node is read from the servers its URL names, or else from
         * {@code [zookeeper] servers} as configured at that point of the configuration ({@code [asab:zookeeper]} if
         * that section exists, as in ASAB); {@code zookeeper:./p} is below {@code [zookeeper] path}. Its name's
         * ending gives its format: {@code .conf} (INI), {@code .json} or {@code .yaml} (the latter needs
         * {@code tools.jackson.dataformat:jackson-dataformat-yaml}); see the documentation for which JSON and YAML
         * values are accepted.
         *
         * @param file the main file
         * @param service the service whose containers read ZooKeeper nodes
         * @return the configuration, once everything is read; fails with {@link ZooKeeperConfigurationException} as
         *     {@link #load(Path)} does, or naming the include when its node is missing or cannot be read (within the
         *     service's operation timeout)
         * @throws NullPointerException if an argument is null
         */
        public Mono<ZooKeeperConfig> loadAsync(Path file, ZooKeeperService service) {
            Objects.requireNonNull(file, "file must not be null");
            Objects.requireNonNull(service, "service must not be null");
            return loadAsync(() -> file, service);
        }

        /**
         * Reads the file {@code ASAB_CONFIG} names, without blocking the caller, as
         * {@link #loadAsync(Path, ZooKeeperService)} does.
         *
         * @param service the service whose containers read ZooKeeper nodes
         * @return the configuration, once everything is read
         * @throws NullPointerException if {@code service} is null
         */
        public Mono<ZooKeeperConfig> loadAsync(ZooKeeperService service) {
            Objects.requireNonNull(service, "service must not be null");
            return loadAsync(this::mainFile, service);
        }

        private Mono<ZooKeeperConfig> loadAsync(Supplier<@Nullable Path> file, ZooKeeperService service) {
            return Mono.fromCallable(() -> {
                        AsabConfigLoader loader = newLoader();
                        loader.start(file.get());
                        return loader;
                    })
                    .subscribeOn(service.blockingScheduler())
                    .flatMap(loader -> drive(loader, service));
        }

        private Mono<ZooKeeperConfig> drive(AsabConfigLoader loader, ZooKeeperService service) {
            return Mono.fromCallable(loader::advance)
                    .subscribeOn(service.blockingScheduler())
                    .flatMap(next -> next.isEmpty()
                            ? Mono.just(result(loader))
                            : ZooKeeperIncludes.read(next.get(), service).flatMap(data -> {
                                loader.supply(next.get(), data);
                                return drive(loader, service);
                            }));
        }

        private ZooKeeperConfig loadWithoutZooKeeper(@Nullable Path file, @Nullable String text) {
            AsabConfigLoader loader = newLoader();
            if (text != null) {
                loader.startText(text);
            } else {
                loader.start(file);
            }
            Optional<AsabConfigLoader.ZooKeeperInclude> include = loader.advance();
            if (include.isPresent()) {
                throw new ZooKeeperConfigurationException(
                        "the configuration includes " + include.get().url()
                                + " from ZooKeeper; read it with ZooKeeperConfig.loader().loadAsync(file, service), which"
                                + " reads the node without blocking and returns a Mono");
            }
            return result(loader);
        }

        private @Nullable Path mainFile() {
            String name = environment == null
                    ? System.getenv(AsabConfigLoader.CONFIG_VARIABLE)
                    : environment.get(AsabConfigLoader.CONFIG_VARIABLE);
            return name == null || name.isEmpty() ? null : Path.of(name);
        }

        private AsabConfigLoader newLoader() {
            return new AsabConfigLoader(
                    environment == null ? System.getenv() : environment,
                    workingDirectory == null ? Path.of(System.getProperty("user.dir")) : workingDirectory);
        }

        private ZooKeeperConfig result(AsabConfigLoader loader) {
            AsabConfigLoader.Result result = loader.result();
            Map<String, Map<String, String>> sections = new LinkedHashMap<>();
            result.sections().forEach((name, entries) -> sections.put(name, Collections.unmodifiableMap(entries)));
            return new ZooKeeperConfig(
                    Collections.unmodifiableMap(sections),
                    Collections.unmodifiableMap(result.failures()),
                    result.sources(),
                    environment);
        }
    }
}
