package io.reactivezk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an ASAB service advertises about itself under {@code <root>/run/<AppClass>.<sequence>}, and what ASAB's
 * discovery reads there: advertise one to be found by ASAB services, read them to find ASAB services.
 *
 * <pre>{@code
 * zk.advertise(AsabService.of("OrderService", "host-1").withWeb("0.0.0.0", 8080), AsabService.path("OrderService"));
 * zk.getChildren("run")
 *         .flatMapMany(Flux::fromIterable)
 *         .flatMap(node -> zk.getData("run/" + node, AsabService.class))
 *         .filter(service -> service.appclass().equals("OrderService"));
 * }</pre>
 *
 * <p>The JSON uses ASAB's field names; optional fields that are {@code null} are left out, and fields this type does
 * not know are ignored when reading, so advertisements of newer ASAB versions still read.
 *
 * @param host the host name the service runs on
 * @param appclass the application class name, also the node name's prefix
 * @param launchTime when the process started, UTC, {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'}
 * @param processId the operating system's process id
 * @param instanceId ASAB's instance id, if any
 * @param nodeId ASAB's node id, if any
 * @param serviceId ASAB's service id, if any
 * @param siteId ASAB's site id, if any
 * @param containerized whether the service runs in a container, if known
 * @param discovery further ids by type ({@code {"custom": ["a", "b"]}}), if any
 * @param web the listening sockets: {@code [host, port]}, or {@code [host, port, flowinfo, scope]} for IPv6
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AsabService(
        String host,
        String appclass,
        @JsonProperty("launch_time") String launchTime,
        @JsonProperty("process_id") long processId,
        @JsonProperty("instance_id") @Nullable String instanceId,
        @JsonProperty("node_id") @Nullable String nodeId,
        @JsonProperty("service_id") @Nullable String serviceId,
        @JsonProperty("site_id") @Nullable String siteId,
        @Nullable Boolean containerized,
        @Nullable Map<String, List<String>> discovery,
        List<List<Object>> web) {

    /** ASAB's {@code launch_time} format. */
    public static final DateTimeFormatter LAUNCH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * Checks the required components and makes the collections unmodifiable.
     *
     * @param host the host name
     * @param appclass the application class
     * @param launchTime the launch time
     * @param processId the process id
     * @param instanceId the instance id
     * @param nodeId the node id
     * @param serviceId the service id
     * @param siteId the site id
     * @param containerized whether containerized
     * @param discovery ids by type
     * @param web the listening sockets
     */
    public AsabService {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(appclass, "appclass must not be null");
        Objects.requireNonNull(launchTime, () -> "launch_time of " + appclass + " must not be null");
        if (appclass.isBlank() || appclass.contains("/")) {
            throw new IllegalArgumentException("appclass must be a non-blank name without '/': '" + appclass + "'");
        }
        discovery = discovery == null ? null : Map.copyOf(discovery);
        web = web == null ? List.of() : List.copyOf(web);
    }

    /**
     * This process, as an ASAB service would describe itself: launch time and process id of this JVM, no sockets yet.
     *
     * @param appclass the application class name
     * @param host the host name to announce (resolving it here could block, so it is given)
     * @return the description; add sockets with {@link #withWeb(String, int)}
     */
    public static AsabService of(String appclass, String host) {
        Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
        return new AsabService(
                host,
                appclass,
                LAUNCH_TIME.format(started),
                ProcessHandle.current().pid(),
                null,
                null,
                null,
                null,
                null,
                null,
                List.of());
    }

    /**
     * The advertisement path ASAB uses for an application class, for {@link ZooKeeperContainer#advertise}.
     *
     * @param appclass the application class name
     * @return {@code run/<appclass>.}
     */
    public static String path(String appclass) {
        return "run/" + Objects.requireNonNull(appclass, "appclass must not be null") + ".";
    }

    /**
     * Adds a listening socket.
     *
     * @param host the address the service listens on, such as {@code 0.0.0.0}
     * @param port the port
     * @return a copy with the socket added
     * @throws IllegalArgumentException if the port is not 1 to 65535
     */
    public AsabService withWeb(String host, int port) {
        Objects.requireNonNull(host, "web host must not be null");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("web port must be 1 to 65535: " + port);
        }
        List<List<Object>> sockets = new ArrayList<>(web);
        sockets.add(List.of(host, port));
        return new AsabService(
                this.host,
                appclass,
                launchTime,
                processId,
                instanceId,
                nodeId,
                serviceId,
                siteId,
                containerized,
                discovery,
                sockets);
    }

    /**
     * Sets ASAB's identifiers.
     *
     * @param instanceId the instance id, or {@code null}
     * @param nodeId the node id, or {@code null}
     * @param serviceId the service id, or {@code null}
     * @param siteId the site id, or {@code null}
     * @return a copy with these ids
     */
    public AsabService withIds(
            @Nullable String instanceId, @Nullable String nodeId, @Nullable String serviceId, @Nullable String siteId) {
        return new AsabService(
                host,
                appclass,
                launchTime,
                processId,
                instanceId,
                nodeId,
                serviceId,
                siteId,
                containerized,
                discovery,
                web);
    }

    /**
     * Adds discovery ids of one type.
     *
     * @param type the id type, such as {@code custom}
     * @param ids the ids
     * @return a copy with these ids added
     */
    public AsabService withDiscovery(String type, List<String> ids) {
        Objects.requireNonNull(type, "discovery type must not be null");
        Map<String, List<String>> next = discovery == null ? new LinkedHashMap<>() : new LinkedHashMap<>(discovery);
        next.put(type, List.copyOf(ids));
        return new AsabService(
                host, appclass, launchTime, processId, instanceId, nodeId, serviceId, siteId, containerized, next, web);
    }
}
