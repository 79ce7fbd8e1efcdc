package io.reactivezk.internal.session;

import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperConfigurationException;
import io.reactivezk.ZooKeeperSpec;
import io.reactivezk.internal.codec.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a container's {@link ZooKeeperSpec} from its {@code zPath} URL, its configuration section, the global
 * {@code [zookeeper]} section and the {@code ASAB_ZOOKEEPER_SERVERS} environment variable, by ASAB's rules (see
 * ASAB-COMPAT.md section 1). URLs are parsed by hand: {@link java.net.URI} rejects or mangles forms such as
 * {@code zookeeper:./p}, {@code zookeeper://h1:2181,h2:2181/p} and {@code zookeeper://./p}.
 */
public final class SpecResolver {

    private static final String FORMS =
            "expected zookeeper://host:port[,host:port...]/path, zk://host:port/path, zookeeper:///path,"
                    + " zookeeper:./path or an absolute /path";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._~-]+)?");

    private static final String ROOT_KEY = "path";

    private static final String SERVERS_KEY = "servers";

    private static final String TIMEOUT_KEY = "timeout";

    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    /** ZooKeeper takes the session timeout as an {@code int} of milliseconds, about 24.8 days at most. */
    private static final Duration MAX_TIMEOUT = Duration.ofDays(24);

    private SpecResolver() {}

    /**
     * Resolves a spec; see {@link ZooKeeperSpec#resolve(ZooKeeperConfig, String, String)} for the rules.
     *
     * @param config the configuration and environment to read
     * @param section the container's configuration section
     * @param zPath the container's URL or absolute path, or {@code null} (or blank) for none
     * @return the resolved spec
     * @throws ZooKeeperConfigurationException if any input is invalid or no source gives servers; the message names
     *     the offending input and the rule it breaks
     * @throws NullPointerException if {@code config} or {@code section} is null
     */
    public static ZooKeeperSpec resolve(ZooKeeperConfig config, String section, @Nullable String zPath) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(section, "section must not be null");
        if (section.isBlank()) {
            throw new ZooKeeperConfigurationException("section must not be blank: '" + section + "'");
        }
        ZPath url = zPath == null || zPath.isBlank() ? ZPath.NONE : parseZPath(zPath.strip());
        Servers servers = resolveServers(config, section, url);
        String root = resolveRoot(config, section, url);
        Duration timeout = resolveTimeout(config, section);
        return new ZooKeeperSpec(servers.hosts(), servers.chroot(), root, timeout);
    }

    /**
     * What a {@code zPath} says.
     *
     * @param shown the URL as messages show it, credentials masked; {@code null} when there is no URL
     * @param servers the servers part, or {@code null} to take them from configuration
     * @param path the path part, or {@code null} to take it from configuration
     * @param relative whether {@code path} is placed under the configured root
     */
    private record ZPath(
            @Nullable String shown,
            @Nullable String servers,
            @Nullable String path,
            boolean relative) {

        static final ZPath NONE = new ZPath(null, null, null, false);

        String source() {
            return "zPath '" + shown + "'";
        }
    }

    /** Servers parsed from a servers string: {@code host:port} entries and the chroot ({@code ""} for none). */
    private record Servers(List<String> hosts, String chroot) {}

    // ---------------------------------------------------------------------------------------------------- URL

    private static ZPath parseZPath(String text) {
        String shown = ZkPaths.show(maskCredentials(text));
        if (text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
            throw new ZooKeeperConfigurationException(
                    "zPath '" + shown + "': query and fragment ('?', '#') are not allowed");
        }
        if (text.startsWith("/")) {
            return new ZPath(shown, null, text, false);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new ZooKeeperConfigurationException(
                    "zPath '" + shown + "' is neither a URL nor an absolute path: " + FORMS);
        }
        String scheme = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        if (!SCHEME.matcher(scheme).matches() || (!rest.isEmpty() && rest.charAt(0) >= '0' && rest.charAt(0) <= '9')) {
            throw new ZooKeeperConfigurationException("zPath '" + shown + "' has no scheme: " + FORMS);
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        if (!lowerScheme.equals("zookeeper") && !lowerScheme.equals("zk")) {
            throw new ZooKeeperConfigurationException(
                    "zPath '" + shown + "' has scheme '" + scheme + "': scheme must be 'zookeeper' or 'zk'");
        }
        if (rest.startsWith("//")) {
            int pathStart = rest.indexOf('/', 2);
            String authority = pathStart < 0 ? rest.substring(2) : rest.substring(2, pathStart);
            String path = pathStart < 0 ? null : rest.substring(pathStart);
            if (authority.indexOf('@') >= 0) {
                throw new ZooKeeperConfigurationException("zPath '" + shown
                        + "': credentials do not belong in the URL; configure authentication separately");
            }
            if (authority.isEmpty()) {
                return new ZPath(shown, null, path, false);
            }
            if (authority.equals(".")) {
                return new ZPath(shown, null, path == null ? "" : path, true);
            }
            return new ZPath(shown, authority, path, false);
        }
        if (rest.isEmpty()) {
            return new ZPath(shown, null, null, false);
        }
        if (rest.equals(".") || rest.startsWith("./")) {
            return new ZPath(shown, null, rest.substring(1), true);
        }
        if (rest.startsWith("/")) {
            return new ZPath(shown, null, rest, false);
        }
        throw new ZooKeeperConfigurationException("zPath '" + shown + "' has an invalid path '" + rest + "': " + FORMS);
    }

    /** Replaces the user information of a URL's authority with {@code ***}, so messages never show a password. */
    private static String maskCredentials(String text) {
        int colon = text.indexOf(':');
        if (colon < 0 || !text.startsWith("//", colon + 1)) {
            return text;
        }
        int authorityStart = colon + 3;
        int authorityEnd = text.length();
        for (int i = authorityStart; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        int at = text.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return text;
        }
        return text.substring(0, authorityStart) + "***" + text.substring(at);
    }

    // ------------------------------------------------------------------------------------------------ servers

    /**
     * A setting as the configuration holds it, trimmed, with one pair of matching quotes around it removed: the
     * configuration keeps quotes as configparser does, and ASAB then fails on a quoted servers, path or timeout
     * value (ASAB-COMPAT row 28: FIX), where a container accepts it.
     */
    private static Optional<String> setting(ZooKeeperConfig config, String section, String key) {
        return config.get(section, key)
                .map(value -> {
                    if (value.length() >= 2) {
                        char first = value.charAt(0);
                        if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                            return value.substring(1, value.length() - 1).strip();
                        }
                    }
                    return value;
                })
                .filter(value -> !value.isEmpty());
    }

    private static Servers resolveServers(ZooKeeperConfig config, String section, ZPath url) {
        if (url.servers() != null) {
            return parseServers(url.servers(), url.source());
        }
        Optional<String> own = setting(config, section, SERVERS_KEY);
        if (own.isPresent()) {
            return parseServers(own.get(), "[" + section + "] servers");
        }
        if (!section.equals(ZooKeeperSpec.DEFAULT_SECTION)) {
            Optional<String> global = setting(config, ZooKeeperSpec.DEFAULT_SECTION, SERVERS_KEY);
            if (global.isPresent()) {
                return parseServers(global.get(), "[" + ZooKeeperSpec.DEFAULT_SECTION + "] servers");
            }
        }
        Optional<String> environment = config.environment(ZooKeeperSpec.ENV_SERVERS);
        if (environment.isPresent()) {
            return parseServers(environment.get(), "environment variable " + ZooKeeperSpec.ENV_SERVERS);
        }
        throw new ZooKeeperConfigurationException(noServersMessage(section, url));
    }

    private static String noServersMessage(String section, ZPath url) {
        StringBuilder message = new StringBuilder("no ZooKeeper servers configured: ");
        message.append(url.shown() == null ? "no zPath URL was given" : url.source() + " names no servers");
        message.append("; set [").append(section).append("] servers");
        if (!section.equals(ZooKeeperSpec.DEFAULT_SECTION)) {
            message.append(", [").append(ZooKeeperSpec.DEFAULT_SECTION).append("] servers");
        }
        message.append(" or the environment variable ")
                .append(ZooKeeperSpec.ENV_SERVERS)
                .append(", or give them in the URL as zookeeper://host:port/path");
        return message.toString();
    }

    /**
     * Parses a ZooKeeper servers string: comma-separated {@code host[:port]} entries, spaces around commas ignored,
     * no empty entries, optionally followed by a chroot after the last server ({@code s1:2181,s2/chroot}).
     */
    private static Servers parseServers(String text, String source) {
        String where = source.startsWith("zPath") ? source : source + " '" + ZkPaths.show(text) + "'";
        String hostsText = text;
        String chroot = "";
        int slash = text.indexOf('/');
        if (slash >= 0) {
            hostsText = text.substring(0, slash);
            String chrootText = text.substring(slash);
            if (chrootText.indexOf(',') >= 0) {
                throw new ZooKeeperConfigurationException(
                        where + ": a chroot may only follow the last server, as in s1:2181,s2:2181/chroot");
            }
            try {
                chroot = ZkPaths.normalizeRoot(chrootText);
            } catch (IllegalArgumentException e) {
                throw new ZooKeeperConfigurationException(where + ": invalid chroot: " + e.getMessage(), e);
            }
            if (chroot.equals(ZkPaths.ROOT)) {
                chroot = "";
            }
        }
        List<String> hosts = new ArrayList<>();
        if (hostsText.replace(",", "").isBlank()) {
            throw new ZooKeeperConfigurationException(where + ": no server is named");
        }
        for (String entry : hostsText.split(",", -1)) {
            String server = entry.strip();
            if (server.isEmpty()) {
                // ZooKeeper's own parser skips it; an empty entry is more likely a typo or an unset variable.
                throw new ZooKeeperConfigurationException(
                        where + ": empty server entry (two commas in a row, or a leading or trailing comma)");
            }
            hosts.add(parseServer(server, where));
        }
        return new Servers(List.copyOf(hosts), chroot);
    }

    private static String parseServer(String server, String where) {
        String host;
        String port;
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            if (close < 0) {
                throw serverError(where, server, "'[' without ']'");
            }
            String address = server.substring(1, close);
            String after = server.substring(close + 1);
            if (address.isEmpty()) {
                throw serverError(where, server, "empty host");
            }
            if (!IPV6.matcher(address).matches()) {
                throw serverError(where, server, "'" + address + "' in brackets is not an IPv6 address");
            }
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw serverError(where, server, "expected ':port' after ']'");
            }
            host = "[" + address + "]";
            port = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = server.indexOf(':');
            if (colon >= 0 && server.indexOf(':', colon + 1) >= 0) {
                throw serverError(where, server, "an IPv6 address must be enclosed in brackets, as in [::1]:2181");
            }
            host = colon < 0 ? server : server.substring(0, colon);
            port = colon < 0 ? null : server.substring(colon + 1);
            if (host.isEmpty()) {
                throw serverError(where, server, "empty host");
            }
            if (!HOST.matcher(host).matches()) {
                throw serverError(
                        where,
                        server,
                        "invalid host '" + host + "': only letters, digits, '.', '-' and '_' are allowed");
            }
        }
        return host + ":" + (port == null ? ZooKeeperSpec.DEFAULT_PORT : parsePort(port, server, where));
    }

    private static int parsePort(String port, String server, String where) {
        int value = -1;
        if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            value = Integer.parseInt(port);
        }
        if (value < 1 || value > 65535) {
            throw serverError(where, server, "bad port '" + port + "': a port must be a number from 1 to 65535");
        }
        return value;
    }

    private static ZooKeeperConfigurationException serverError(String where, String server, String rule) {
        return new ZooKeeperConfigurationException(where + ": server '" + server + "': " + rule);
    }

    // --------------------------------------------------------------------------------------------------- root

    private static String resolveRoot(ZooKeeperConfig config, String section, ZPath url) {
        if (url.path() != null && !url.relative()) {
            return normalizeRoot(url.path(), url.source());
        }
        String configured = configuredRoot(config, section);
        if (url.path() != null) {
            return normalizeRoot(configured + url.path(), url.source() + " under the configured root " + configured);
        }
        return configured;
    }

    private static String configuredRoot(ZooKeeperConfig config, String section) {
        Optional<String> own = setting(config, section, ROOT_KEY);
        if (own.isPresent()) {
            return normalizeRoot(own.get(), "[" + section + "] path");
        }
        if (!section.equals(ZooKeeperSpec.DEFAULT_SECTION)) {
            Optional<String> global = setting(config, ZooKeeperSpec.DEFAULT_SECTION, ROOT_KEY);
            if (global.isPresent()) {
                return normalizeRoot(global.get(), "[" + ZooKeeperSpec.DEFAULT_SECTION + "] path");
            }
        }
        return ZooKeeperSpec.DEFAULT_ROOT_PATH;
    }

    private static String normalizeRoot(String path, String source) {
        try {
            return ZkPaths.normalizeRoot(path);
        } catch (IllegalArgumentException e) {
            throw new ZooKeeperConfigurationException("invalid root path from " + source + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ timeout

    private static Duration resolveTimeout(ZooKeeperConfig config, String section) {
        Optional<String> text = setting(config, section, TIMEOUT_KEY);
        if (text.isEmpty()) {
            return ZooKeeperSpec.DEFAULT_SESSION_TIMEOUT;
        }
        String source = "[" + section + "] timeout";
        Duration timeout;
        try {
            timeout = Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw new ZooKeeperConfigurationException("invalid " + source + ": " + e.getMessage(), e);
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new ZooKeeperConfigurationException("invalid " + source + " '" + text.get()
                    + "': a session timeout must be from 1ms to 24d; expected " + Durations.ACCEPTED_FORMS);
        }
        return timeout;
    }
}
