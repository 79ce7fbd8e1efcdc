package io.reactivezk.recipe;

import io.reactivezk.ConnectionState;
import io.reactivezk.TreeEvent;
import io.reactivezk.ZooKeeperContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the services advertised under a container's {@code run/} node, in ASAB's layout and format, as a stream that
 * follows the tree: what ASAB's {@code DiscoveryService} does, without its failure modes.
 *
 * <ul>
 *   <li>An advertisement that is not a JSON object is left out with a warning and named in
 *       {@link ServiceInstances#skipped()}; the others are still found (ASAB's rescan fails for all of them).
 *   <li>While the container is disconnected, or after a read failed, the last known list is kept and marked
 *       {@linkplain ServiceInstances#stale() stale} (ASAB empties its cache).
 *   <li>A node deleted between its event and its read is simply gone (ASAB loses the event).
 *   <li>The path may be given with a trailing slash.
 * </ul>
 *
 * <p>The stream is built on {@link ZooKeeperContainer#watchTree(String)} (one persistent recursive watch, shared by
 * every subscriber of the container), and each advertisement is read once per change. Only the direct children of
 * the path are advertisements. Signals arrive as the container's watch signals do.
 */
public final class ServiceDiscovery {

    private static final Logger log = LoggerFactory.getLogger(ServiceDiscovery.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How many reads run at once while the tree is first read. */
    private static final int READ_CONCURRENCY = 32;

    private final ZooKeeperContainer zk;

    private final String path;

    private ServiceDiscovery(ZooKeeperContainer zk, String path) {
        this.zk = zk;
        this.path = path;
    }

    /**
     * Discovery of the advertisements under {@code run}, where ASAB's {@code ApiService} and
     * {@link io.reactivezk.AsabService#path(String)} put them.
     *
     * @param zk the container
     * @return the discovery
     */
    public static ServiceDiscovery of(ZooKeeperContainer zk) {
        return of(zk, "run");
    }

    /**
     * Discovery of the advertisements under a path.
     *
     * @param zk the container
     * @param path the parent of the advertisements, relative to the container's root; a trailing slash is allowed
     * @return the discovery
     * @throws IllegalArgumentException if the path is invalid
     */
    public static ServiceDiscovery of(ZooKeeperContainer zk, String path) {
        Objects.requireNonNull(zk, "container must not be null");
        Objects.requireNonNull(path, "path must not be null");
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        zk.resolvePath(trimmed);
        return new ServiceDiscovery(zk, trimmed);
    }

    /**
     * Every advertised instance, as a latest-value stream: the instances once the tree has been read, then the list
     * again whenever an advertisement appears, changes or goes, or the list turns stale or fresh.
     *
     * @return a cold stream; it ends when the container closes
     */
    public Flux<ServiceInstances> instances() {
        Flux<Change> tree = zk.watchTree(path).flatMapSequential(this::change, READ_CONCURRENCY);
        Flux<Change> connection = zk.connectionEvents().map(event -> Change.CONNECTION);
        return Flux.defer(() -> {
                    View view = new View();
                    return Flux.merge(tree, connection).<ServiceInstances>handle((change, sink) -> {
                        ServiceInstances next = view.apply(change);
                        if (next != null) {
                            sink.next(next);
                        }
                    });
                })
                .distinctUntilChanged()
                .onBackpressureLatest();
    }

    /**
     * The instances of one application class, as {@link #instances()} streams them.
     *
     * @param appclass the application class
     * @return a cold stream
     */
    public Flux<ServiceInstances> instances(String appclass) {
        Objects.requireNonNull(appclass, "appclass must not be null");
        return instances().map(all -> all.ofClass(appclass)).distinctUntilChanged();
    }

    /**
     * The instances now: the first list that is not stale.
     *
     * @return the instances, once the container is connected and the tree read
     */
    public Mono<ServiceInstances> current() {
        return instances().filter(list -> !list.stale()).next();
    }

    /**
     * The instances of one application class now.
     *
     * @param appclass the application class
     * @return the instances
     */
    public Mono<ServiceInstances> current(String appclass) {
        Objects.requireNonNull(appclass, "appclass must not be null");
        return current().map(all -> all.ofClass(appclass));
    }

    /**
     * ASAB's {@code locate(instance_id)}: the URLs of an instance.
     *
     * @param instanceId the instance id
     * @return {@code http://host:port} for each of its sockets bound to all addresses; empty if none
     */
    public Mono<Set<String>> locate(String instanceId) {
        return locate("instance_id", instanceId);
    }

    /**
     * ASAB's {@code locate(<idType>=<id>)}: the URLs of every instance with an id.
     *
     * @param idType {@code instance_id}, {@code service_id} or a type of ids in {@code discovery}
     * @param id the id
     * @return {@code http://host:port} for each socket bound to all addresses ({@code 0.0.0.0} or {@code ::}) of
     *     every such instance; empty if none
     */
    public Mono<Set<String>> locate(String idType, String id) {
        Objects.requireNonNull(idType, "idType must not be null");
        Objects.requireNonNull(id, "id must not be null");
        return current().map(list -> list.locate(idType, id));
    }

    private Mono<Change> change(TreeEvent event) {
        switch (event.type()) {
            case RESYNC:
                return Mono.just(Change.RESET);
            case INITIALIZED:
                return Mono.just(Change.READY);
            default:
                break;
        }
        String name = childName(event.path());
        if (name == null) {
            return Mono.empty();
        }
        if (event.type() == TreeEvent.Type.DELETED) {
            return Mono.just(Change.remove(name));
        }
        return zk.getRawData(path + "/" + name)
                .retryWhen(Retry.backoff(2, Duration.ofMillis(100)))
                .map(data -> decode(name, data))
                .defaultIfEmpty(Change.remove(name))
                .onErrorResume(e -> {
                    log.warn("{}: cannot read advertisement {}/{}: {}", zk.name(), path, name, e.toString());
                    return Mono.just(Change.READ_FAILED);
                });
    }

    private @Nullable String childName(String eventPath) {
        String relative = eventPath.startsWith("/") ? eventPath.substring(1) : eventPath;
        String prefix =
                path.equals("/") || path.isEmpty() ? "" : (path.startsWith("/") ? path.substring(1) : path) + "/";
        if (!relative.startsWith(prefix) || relative.length() == prefix.length()) {
            return null;
        }
        String name = relative.substring(prefix.length());
        return name.contains("/") ? null : name;
    }

    private Change decode(String name, byte[] data) {
        try {
            JsonNode json = JSON.readTree(data);
            if (json != null && json.isObject()) {
                return Change.put(name, ServiceInstance.decode(name, json));
            }
        } catch (JacksonException e) {
            // reported below
        }
        log.warn("{}: advertisement {}/{} is not a JSON object; left out", zk.name(), path, name);
        return Change.skip(name);
    }

    /** What the tree or the connection told; applied to a {@link View} in order. */
    private record Change(
            Kind kind, @Nullable String name, @Nullable ServiceInstance instance) {

        enum Kind {
            PUT,
            SKIP,
            REMOVE,
            RESET,
            READY,
            READ_FAILED,
            CONNECTION
        }

        static final Change RESET = new Change(Kind.RESET, null, null);
        static final Change READY = new Change(Kind.READY, null, null);
        static final Change READ_FAILED = new Change(Kind.READ_FAILED, null, null);
        static final Change CONNECTION = new Change(Kind.CONNECTION, null, null);

        static Change put(String name, ServiceInstance instance) {
            return new Change(Kind.PUT, name, instance);
        }

        static Change skip(String name) {
            return new Change(Kind.SKIP, name, null);
        }

        static Change remove(String name) {
            return new Change(Kind.REMOVE, name, null);
        }
    }

    /** One subscriber's picture of the tree; used by one serialised chain. A {@code null} entry is a skipped node. */
    private final class View {

        private Map<String, @Nullable ServiceInstance> shown = new TreeMap<>();
        private @Nullable Map<String, @Nullable ServiceInstance> building;
        private boolean initialized;
        private boolean readFailed;

        @Nullable
        ServiceInstances apply(Change change) {
            switch (change.kind()) {
                case RESET -> building = new TreeMap<>();
                case PUT, SKIP -> target().put(change.name(), change.instance());
                case REMOVE -> target().remove(change.name());
                case READY -> {
                    if (building != null) {
                        shown = building;
                        building = null;
                    }
                    initialized = true;
                    readFailed = false;
                }
                case READ_FAILED -> readFailed = true;
                case CONNECTION -> {
                    // only the staleness may change
                }
            }
            return initialized ? snapshot() : null;
        }

        private Map<String, @Nullable ServiceInstance> target() {
            return building != null ? building : shown;
        }

        private ServiceInstances snapshot() {
            List<ServiceInstance> instances = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            shown.forEach((name, instance) -> {
                if (instance == null) {
                    skipped.add(name);
                } else {
                    instances.add(instance);
                }
            });
            boolean connected = zk.connectionEvent().state() == ConnectionState.CONNECTED;
            return new ServiceInstances(instances, !connected || readFailed || building != null, skipped);
        }
    }
}
