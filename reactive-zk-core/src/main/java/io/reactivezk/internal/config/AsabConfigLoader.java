package io.reactivezk.internal.config;

import io.reactivezk.ZooKeeperConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Loads an ASAB application's configuration as {@code asab.Config} does (ASAB's {@code asab/config.py}, on
 * Python's {@code configparser}): the main file, then ASAB's default for {@code [zookeeper] servers} from
 * {@code ASAB_ZOOKEEPER_SERVERS}, then the files and ZooKeeper nodes that {@code [general] include} names, depth
 * first, each file once.
 *
 * <p>It is a step machine so that one implementation serves both the blocking and the reactive reader: {@link #advance()}
 * reads files until it is done or needs a ZooKeeper node, which the caller fetches (or refuses) and hands back with
 * {@link #supply(ZooKeeperInclude, byte[])}. One instance loads one configuration, from one thread at a time.
 *
 * <p>Where ASAB fails (its loader raises or exits), this loader throws a {@link ZooKeeperConfigurationException}
 * naming the file, the line and the rule. It is stricter than ASAB in two places, both reported as errors, never
 * read differently: an include cycle (ASAB reads the main file a second time and skips the rest) and a file that
 * exists but cannot be read (ASAB skips it silently).
 */
public final class AsabConfigLoader {

    /** ASAB's environment variable naming the main file. */
    public static final String CONFIG_VARIABLE = "ASAB_CONFIG";

    /** ASAB's environment variable giving the default of {@code [zookeeper] servers}. */
    public static final String SERVERS_VARIABLE = "ASAB_ZOOKEEPER_SERVERS";

    private static final String THIS_DIR = "THIS_DIR";

    private static final String GENERAL = "general";

    private static final String INCLUDE = "include";

    /** The formats of a configuration node, by its name's ending, as ASAB chooses them. */
    public enum Format {
        /** {@code .conf}: INI text. */
        INI,
        /** {@code .json}. */
        JSON,
        /** {@code .yaml}. */
        YAML
    }

    /**
     * A configuration node to read from ZooKeeper.
     *
     * @param url the include as written, such as {@code zookeeper://zk1:2181/asab/etc/site.conf}
     * @param servers the connect string to read it from (ZooKeeper's form, possibly with a chroot)
     * @param path the node's absolute path
     * @param format the format its name gives
     */
    public record ZooKeeperInclude(String url, String servers, String path, Format format) {}

    /** The result: resolved sections, sections whose values cannot be interpolated, and what was read. */
    public record Result(
            Map<String, Map<String, String>> sections, Map<String, String> failures, List<String> sources) {}

    /** One include list being walked: its globs, and the matches of the glob being read. */
    private static final class Frame {
        final List<String> globs;
        final List<Path> chain;
        int next;
        final Deque<String> matches = new ArrayDeque<>();

        Frame(List<String> globs, List<Path> chain) {
            this.globs = globs;
            this.chain = chain;
        }
    }

    private final ConfigParser parser = new ConfigParser();

    private final Map<String, String> originalEnvironment;

    /** The environment as ASAB's process sees it while loading: it sets {@code THIS_DIR} in it as it reads. */
    private final Map<String, String> environment;

    private final Path workingDirectory;

    private final Deque<Frame> frames = new ArrayDeque<>();

    private final Set<Path> included = new HashSet<>();

    private final List<String> sources = new ArrayList<>();

    /** The directory of the file being read, for {@code THIS_DIR}; {@code null} while reading a ZooKeeper node. */
    private @Nullable Path readingDirectory;

    private @Nullable ZooKeeperInclude pending;

    private boolean started;

    /**
     * A loader.
     *
     * @param environment the process environment to expand {@code $NAME} from
     * @param workingDirectory what relative paths and globs are relative to, as Python's working directory
     */
    public AsabConfigLoader(Map<String, String> environment, Path workingDirectory) {
        this.originalEnvironment = Map.copyOf(environment);
        this.environment = new HashMap<>(environment);
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /**
     * Reads the main file (or none) and prepares its includes; call {@link #advance()} next.
     *
     * @param file the main file; {@code null} for none, as when {@code ASAB_CONFIG} is not set
     */
    public void start(@Nullable Path file) {
        begin();
        Path chainStart = null;
        if (file != null) {
            Path absolute = absolute(file.toString());
            if (!Files.isRegularFile(absolute)) {
                throw new ZooKeeperConfigurationException("configuration file " + file + " does not exist or is not"
                        + " a regular file (ASAB exits: \"Config file '" + file + "' not found\")");
            }
            readFile(file.toString(), absolute);
            chainStart = absolute;
        }
        afterMain(chainStart);
    }

    /**
     * Reads INI text as the main file would be read, with the working directory as its directory.
     *
     * @param text the text
     */
    public void startText(String text) {
        begin();
        readingDirectory = workingDirectory;
        sources.add("<text>");
        parser.read(text, "<text>", true, this::beforeRead);
        readingDirectory = null;
        afterMain(null);
    }

    private void begin() {
        if (started) {
            throw new IllegalStateException("a loader loads one configuration");
        }
        started = true;
    }

    /** ASAB's {@code add_defaults}, then the main file's include list. */
    private void afterMain(@Nullable Path main) {
        parser.ensureSection(GENERAL);
        String servers = originalEnvironment.get(SERVERS_VARIABLE);
        if (servers != null) {
            parser.ensureSection("zookeeper");
            if (!parser.hasOwnKey("zookeeper", "servers")) {
                String value = servers.indexOf('$') >= 0 ? PyText.expandVariables(servers, environment) : servers;
                parser.set("zookeeper", "servers", value, "environment variable " + SERVERS_VARIABLE);
            }
        }
        List<Path> chain = new ArrayList<>();
        if (main != null) {
            chain.add(main);
        }
        frames.push(new Frame(split(includeList()), chain));
    }

    /**
     * Reads includes until the configuration is complete or a ZooKeeper node is needed.
     *
     * @return the node to fetch and {@link #supply}, or empty when {@link #result()} is ready
     * @throws ZooKeeperConfigurationException if a file or an include is invalid
     */
    public Optional<ZooKeeperInclude> advance() {
        if (!started || pending != null) {
            throw new IllegalStateException(started ? "a ZooKeeper include is still to be supplied" : "not started");
        }
        while (!frames.isEmpty()) {
            Frame frame = frames.peek();
            if (!frame.matches.isEmpty()) {
                includeFile(frame, frame.matches.poll());
                continue;
            }
            if (frame.next >= frame.globs.size()) {
                frames.pop();
                continue;
            }
            String glob = PyText.strip(frame.globs.get(frame.next++));
            if (glob.isEmpty()) {
                continue;
            }
            // ASAB reads a "zookeeper..." include from ZooKeeper and then globs it as a file pattern too.
            pending = glob.startsWith("zookeeper") ? zooKeeperInclude(glob) : null;
            frame.matches.addAll(PyGlob.glob(PyText.expandVariables(glob, environment), workingDirectory));
            if (pending != null) {
                return Optional.of(pending);
            }
        }
        return Optional.empty();
    }

    /**
     * Merges a configuration node that {@link #advance()} asked for.
     *
     * @param include the include, as returned by {@link #advance()}
     * @param data the node's data
     */
    public void supply(ZooKeeperInclude include, byte[] data) {
        if (pending == null || !pending.equals(include)) {
            throw new IllegalStateException("not the include that was asked for: " + include);
        }
        pending = null;
        String source = include.url();
        sources.add(source);
        switch (include.format()) {
            case INI -> parser.read(decode(data, source), source, false, this::beforeRead);
            case JSON -> parser.readDictionary(StructuredConfig.json(data, source), source);
            case YAML -> parser.readDictionary(StructuredConfig.yaml(data, source), source);
        }
    }

    /**
     * The loaded configuration: each section's values interpolated, with {@code DEFAULT}'s keys in every section.
     * A section with a value that cannot be interpolated is reported in {@link Result#failures()} instead, as
     * ASAB fails only when that section is read.
     *
     * @return the result
     */
    public Result result() {
        if (pending != null || !frames.isEmpty()) {
            throw new IllegalStateException("the configuration is not complete");
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (String name : parser.sections()) {
            try {
                sections.put(name, parser.items(name));
            } catch (ZooKeeperConfigurationException e) {
                failures.put(name, e.getMessage());
            }
        }
        return new Result(sections, failures, List.copyOf(sources));
    }

    private void includeFile(Frame frame, String match) {
        Path absolute = absolute(match);
        if (frame.chain.contains(absolute)) {
            List<String> cycle = new ArrayList<>();
            frame.chain
                    .subList(frame.chain.indexOf(absolute), frame.chain.size())
                    .forEach(p -> cycle.add(p.toString()));
            cycle.add(absolute.toString());
            throw new ZooKeeperConfigurationException("include cycle: " + String.join(" -> ", cycle)
                    + " (ASAB reads the main file again and warns; remove the include)");
        }
        if (!included.add(absolute)) {
            return; // ASAB: "can be included only once"; a file included from two places is read once
        }
        parser.set(GENERAL, INCLUDE, "", "ASAB's include handling");
        if (Files.isDirectory(absolute)) {
            return; // configparser's read() skips what it cannot open, a directory among them
        }
        readFile(match, absolute);
        List<Path> chain = new ArrayList<>(frame.chain);
        chain.add(absolute);
        frames.push(new Frame(split(includeList()), chain));
    }

    private void readFile(String name, Path absolute) {
        byte[] data;
        try {
            data = Files.readAllBytes(absolute);
        } catch (IOException e) {
            throw new ZooKeeperConfigurationException("cannot read configuration file " + name + ": " + e, e);
        }
        readingDirectory = absolute.getParent();
        sources.add(name);
        try {
            parser.read(decode(data, name), name, true, this::beforeRead);
        } finally {
            readingDirectory = null;
        }
    }

    /** ASAB's {@code _Interpolation.before_read}: expands environment variables with {@code THIS_DIR} set. */
    private String beforeRead(String value) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        Path directory = readingDirectory;
        if (directory == null) {
            throw new ZooKeeperConfigurationException("a configuration included from ZooKeeper as .conf is merged"
                    + " while a value holds '$' (" + abbreviate(value) + "); ASAB fails there, as its THIS_DIR"
                    + " lookup has no file to take the directory of: include it as .json or .yaml, or write no '$'");
        }
        environment.put(THIS_DIR, directory.toString());
        return PyText.expandVariables(value, environment);
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 57) + "..." : value;
    }

    /** {@code config.get('general', 'include', fallback='')}. */
    private String includeList() {
        String value = parser.get(GENERAL, INCLUDE);
        return value == null ? "" : value;
    }

    /** ASAB splits at newlines when there are any, else at single spaces. */
    private static List<String> split(String includes) {
        return List.of(includes.split(includes.indexOf('\n') >= 0 ? "\n" : " ", -1));
    }

    private Path absolute(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    private static String decode(byte[] data, String source) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ZooKeeperConfigurationException(source + ": not valid UTF-8 (" + e + ")", e);
        }
    }

    /** ASAB's {@code _include_from_zookeeper}: where the node is and which format it has. */
    private ZooKeeperInclude zooKeeperInclude(String url) {
        String rest = url;
        String scheme = "";
        int colon = url.indexOf(':');
        if (colon > 0 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            scheme = url.substring(0, colon);
            rest = url.substring(colon + 1);
        }
        if (!scheme.equals("zookeeper")) {
            throw new ZooKeeperConfigurationException("include '" + url + "' starts with 'zookeeper', which ASAB reads"
                    + " as a zookeeper:// URL, but it is not one (ASAB fails on it); rename the file or write"
                    + " zookeeper://servers/path");
        }
        String netloc = "";
        if (rest.startsWith("//")) {
            int end = 2;
            while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            netloc = rest.substring(2, end);
            rest = rest.substring(end);
        }
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw new ZooKeeperConfigurationException("include '" + url + "': a query or fragment has no meaning here");
        }
        String path = rest;
        String zookeeperSection = parser.hasSection("asab:zookeeper") ? "asab:zookeeper" : "zookeeper";
        if (netloc.isEmpty()) {
            netloc = required(zookeeperSection, "servers", url);
        } else if (netloc.equals(".")) {
            throw new ZooKeeperConfigurationException("include '" + url + "': ASAB takes '.' as the server's host name;"
                    + " write zookeeper:./path for a path under the configured root");
        }
        if (path.startsWith("./")) {
            path = required(zookeeperSection, "path", url) + path.substring(1);
        }
        if (!path.startsWith("/")) {
            throw new ZooKeeperConfigurationException(
                    "include '" + url + "': the node path '" + path + "' is not absolute");
        }
        Format format;
        if (path.endsWith(".json")) {
            format = Format.JSON;
        } else if (path.endsWith(".yaml")) {
            format = Format.YAML;
        } else if (path.endsWith(".conf")) {
            format = Format.INI;
        } else {
            throw new ZooKeeperConfigurationException("include '" + url + "': unknown configuration format; ASAB reads"
                    + " nodes whose names end in .conf, .json or .yaml");
        }
        return new ZooKeeperInclude(url, PyText.strip(netloc), path, format);
    }

    private String required(String section, String key, String url) {
        String value = parser.hasSection(section) ? parser.get(section, key) : null;
        if (value == null) {
            throw new ZooKeeperConfigurationException("include '" + url + "' needs [" + section + "] " + key
                    + ", which is not set at that point of the configuration");
        }
        return value;
    }
}
