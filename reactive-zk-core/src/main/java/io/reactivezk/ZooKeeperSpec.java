package io.reactivezk;

import io.reactivezk.internal.codec.ZkPaths;
import io.reactivezk.internal.session.SpecResolver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a container connects to: the ZooKeeper servers, an optional chroot from the connect string, the container's
 * root path (below the chroot) and the session timeout to request.
 *
 * <p>Usually obtained from {@link #resolve(ZooKeeperConfig, String, String)}, which follows ASAB's rules exactly.
 *
 * @param servers the servers as {@code host:port}, IPv6 hosts in brackets ({@code [::1]:2181}); not empty
 * @param chroot the connect string's chroot, such as {@code /chroot}, or {@code ""} for none ({@code "/"} is taken
 *     as none)
 * @param rootPath the container's root, an absolute path below the chroot, such as {@code /asab}
 * @param sessionTimeout the session timeout to request; the server may change it; positive
 */
public record ZooKeeperSpec(List<String> servers, String chroot, String rootPath, Duration sessionTimeout) {

    /** The configuration section a container reads when it is given none: {@code zookeeper}. */
    public static final String DEFAULT_SECTION = "zookeeper";

    /** The root path used when neither the URL nor the configuration gives one: {@code /asab}, as in ASAB. */
    public static final String DEFAULT_ROOT_PATH = "/asab";

    /** The session timeout used when the container's section sets none: 10 seconds, as in ASAB. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    /** The port of a server given without one: 2181. */
    public static final int DEFAULT_PORT = 2181;

    /** The environment variable that gives the servers when no URL or configuration section does. */
    public static final String ENV_SERVERS = "ASAB_ZOOKEEPER_SERVERS";

    /**
     * Checks and copies the components.
     *
     * @param servers the servers as {@code host:port}; not empty
     * @param chroot the chroot, or {@code ""} for none
     * @param rootPath the container's absolute root path
     * @param sessionTimeout the session timeout; positive
     * @throws IllegalArgumentException if a component breaks its rule; the message names it
     * @throws NullPointerException if a component or server is null
     */
    public ZooKeeperSpec {
        Objects.requireNonNull(servers, "servers must not be null");
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers must not be empty");
        }
        for (String server : servers) {
            if (server.isBlank() || server.indexOf(',') >= 0 || server.indexOf('/') >= 0) {
                throw new IllegalArgumentException("server must be one 'host:port': '" + server + "'");
            }
        }
        Objects.requireNonNull(chroot, "chroot must not be null");
        if (chroot.equals(ZkPaths.ROOT)) {
            chroot = "";
        } else if (!chroot.isEmpty()) {
            ZkPaths.requireAbsolute(chroot);
        }
        Objects.requireNonNull(rootPath, "rootPath must not be null");
        ZkPaths.requireAbsolute(rootPath);
        Objects.requireNonNull(sessionTimeout, "sessionTimeout must not be null");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("sessionTimeout must be positive: " + sessionTimeout);
        }
    }

    /**
     * Resolves a container's spec exactly as ASAB does. Servers come from the {@code zPath} URL, else the section's
     * {@code servers}, else {@code [zookeeper] servers}, else the environment variable {@value #ENV_SERVERS}. The
     * root path comes from the URL's path, else the section's {@code path}, else {@code [zookeeper] path}, else
     * {@value #DEFAULT_ROOT_PATH}; a relative URL ({@code zookeeper:./p}, {@code zookeeper://./p}) is placed under
     * the configured root. The session timeout is the section's own {@code timeout} (not inherited from
     * {@code [zookeeper]}), else {@link #DEFAULT_SESSION_TIMEOUT}.
     *
     * <p>Accepted {@code zPath} forms: {@code zookeeper://h1:2181,h2:2181/path}, {@code zk://h1/path},
     * {@code zookeeper:///path}, {@code zookeeper:./path}, {@code zookeeper://./path} and a plain {@code /path}.
     *
     * @param config the configuration and environment to read
     * @param section the container's configuration section, usually {@value #DEFAULT_SECTION}
     * @param zPath the container's URL or absolute path, or {@code null} (or blank) for none
     * @return the resolved spec
     * @throws ZooKeeperConfigurationException if the URL is malformed, no source gives servers, a port, path or
     *     timeout is invalid; the message names the offending input and the rule it breaks
     * @throws NullPointerException if {@code config} or {@code section} is null
     */
    public static ZooKeeperSpec resolve(ZooKeeperConfig config, String section, @Nullable String zPath) {
        return SpecResolver.resolve(config, section, zPath);
    }

    /**
     * The connect string ZooKeeper takes: the servers joined by commas, then the chroot, such as
     * {@code s1:2181,s2:2181/chroot}.
     *
     * @return the connect string
     */
    public String connectString() {
        return String.join(",", servers) + chroot;
    }
}
