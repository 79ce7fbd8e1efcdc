package io.reactivezk.examples.webflux;

import io.reactivezk.ClientClosedException;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionLossException;
import io.reactivezk.DataFormatException;
import io.reactivezk.NodeException;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.OperationTimeoutException;
import io.reactivezk.SessionExpiredException;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.recipe.ServiceDiscovery;
import io.reactivezk.recipe.ServiceInstance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's HTTP API: the advertised instances, configuration nodes as JSON, and the connection state, each as a
 * one-shot answer or a Server-Sent Events stream. Every handler returns the container's {@code Mono} or {@code Flux}
 * as it is: its signals arrive on ZooKeeper's event thread, where Spring writes the response without blocking, so no
 * {@code publishOn} is needed. Library errors become HTTP statuses with a JSON problem body.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryRoutes {

    /** Configuration nodes live under this node of the container's root. */
    static final String CONFIG = "config";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One advertised instance as {@code /instances} shows it. */
    record InstanceView(
            String node,
            String appclass,
            @Nullable String instanceId,
            @Nullable String serviceId,
            @Nullable String host,
            Set<String> urls,
            JsonNode advertisement) {

        static InstanceView of(ServiceInstance instance) {
            return new InstanceView(
                    instance.node(),
                    instance.appclass(),
                    instance.instanceId(),
                    instance.serviceId(),
                    instance.host(),
                    instance.urls(),
                    instance.json());
        }
    }

    /** The instances with their staleness, as {@code /instances} returns them. */
    record InstancesView(List<InstanceView> instances, boolean stale) {}

    /** A configuration node's value and version, as the configuration endpoints return it. */
    record ConfigView(
            String path,
            boolean exists,
            int version,
            @Nullable JsonNode value) {}

    /** A connection state change, as {@code /zookeeper/state} streams it. */
    record StateView(String state, String sessionId, long epoch, boolean readOnly, String at) {
        static StateView of(ConnectionEvent event) {
            return new StateView(
                    event.state().name(),
                    event.sessionIdHex(),
                    event.epoch(),
                    event.readOnly(),
                    event.at().toString());
        }
    }

    @Bean
    RouterFunction<ServerResponse> registryApi(ZooKeeperContainer zk) {
        ServiceDiscovery discovery = ServiceDiscovery.of(zk);
        return RouterFunctions.route()
                .GET(
                        "/instances",
                        request -> discovery
                                .current()
                                .map(RegistryRoutes::view)
                                .flatMap(view -> ServerResponse.ok().bodyValue(view))
                                .onErrorResume(RegistryRoutes::problem))
                .GET(
                        "/instances/stream",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_EVENT_STREAM)
                                .body(
                                        discovery.instances().map(list -> event("instances", view(list))),
                                        ServerSentEvent.class))
                .GET(
                        "/zookeeper/state",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_EVENT_STREAM)
                                .body(
                                        zk.connectionEvents().map(e -> event("state", StateView.of(e))),
                                        ServerSentEvent.class))
                .GET("/config/**", request -> getConfig(zk, request))
                .PUT("/config/**", request -> putConfig(zk, request))
                .build();
    }

    private static InstancesView view(List<ServiceInstance> instances) {
        boolean stale = instances instanceof io.reactivezk.recipe.ServiceInstances list && list.stale();
        return new InstancesView(instances.stream().map(InstanceView::of).toList(), stale);
    }

    private static <T> ServerSentEvent<T> event(String name, T data) {
        return ServerSentEvent.builder(data).event(name).build();
    }

    /** {@code GET /config/<path>} (the node as JSON) and {@code GET /config/<path>/stream} (its changes as SSE). */
    private static Mono<ServerResponse> getConfig(ZooKeeperContainer zk, ServerRequest request) {
        String path;
        boolean stream;
        try {
            String raw = configPath(request);
            stream = raw.endsWith("/stream");
            path = node(zk, stream ? raw.substring(0, raw.length() - "/stream".length()) : raw);
        } catch (IllegalArgumentException e) {
            return problem(e);
        }
        if (stream) {
            Flux<ServerSentEvent<ConfigView>> changes =
                    zk.watchData(path).map(snapshot -> event("config", view(path, snapshot)));
            return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(changes, ServerSentEvent.class);
        }
        return zk.getDataAndStat(path)
                .flatMap(value -> ServerResponse.ok()
                        .bodyValue(new ConfigView(path, true, value.stat().getVersion(), value.value())))
                .switchIfEmpty(Mono.defer(() -> problem(HttpStatus.NOT_FOUND, "no configuration node " + path)))
                .onErrorResume(RegistryRoutes::problem);
    }

    /**
     * {@code PUT /config/<path>}: writes a JSON body, creating the node (and its parents) if needed; with
     * {@code If-Match: <version>} only if the node is at that version.
     */
    private static Mono<ServerResponse> putConfig(ZooKeeperContainer zk, ServerRequest request) {
        String path;
        try {
            path = node(zk, configPath(request));
        } catch (IllegalArgumentException e) {
            return problem(e);
        }
        String ifMatch = request.headers().firstHeader("If-Match");
        return request.bodyToMono(byte[].class)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    JsonNode value;
                    try {
                        value = JSON.readTree(body);
                    } catch (JacksonException e) {
                        return problem(HttpStatus.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
                    }
                    if (value == null || value.isMissingNode()) {
                        return problem(HttpStatus.BAD_REQUEST, "the body is empty; send a JSON value");
                    }
                    Mono<org.apache.zookeeper.data.Stat> write =
                            ifMatch == null ? zk.upsert(path, value) : zk.setData(path, value, version(ifMatch));
                    return write.flatMap(stat ->
                            ServerResponse.ok().bodyValue(new ConfigView(path, true, stat.getVersion(), value)));
                })
                .onErrorResume(RegistryRoutes::problem);
    }

    private static int version(String ifMatch) {
        String text = ifMatch.replace("\"", "").strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("If-Match must be a node version (an integer), not '" + ifMatch + "'");
        }
    }

    /** The part after {@code /config/}, percent-decoded, so that a NUL or {@code ..} is seen and refused. */
    private static String configPath(ServerRequest request) {
        String raw = request.requestPath().pathWithinApplication().value();
        String rest = raw.length() > "/config/".length() ? raw.substring("/config/".length()) : "";
        String decoded = UriUtils.decode(rest, StandardCharsets.UTF_8);
        if (decoded.isEmpty()) {
            throw new IllegalArgumentException("a configuration path is needed: /config/<path>");
        }
        return decoded;
    }

    /** The container path of a configuration node, checked as every container operation checks it. */
    private static String node(ZooKeeperContainer zk, String path) {
        String node = CONFIG + "/" + path;
        zk.resolvePath(node);
        return node;
    }

    private static ConfigView view(String path, NodeSnapshot snapshot) {
        if (!snapshot.exists()) {
            return new ConfigView(path, false, -1, null);
        }
        JsonNode value;
        try {
            value = snapshot.data() == null ? null : JSON.readTree(snapshot.data());
        } catch (JacksonException e) {
            value = JSON.getNodeFactory().stringNode(snapshot.text());
        }
        return new ConfigView(path, true, snapshot.stat().getVersion(), value);
    }

    /** A library error as an HTTP status and a problem body naming it. */
    static Mono<ServerResponse> problem(Throwable error) {
        HttpStatus status;
        if (error instanceof NodeException.NoNodeException) {
            status = HttpStatus.NOT_FOUND;
        } else if (error instanceof NodeException.BadVersionException) {
            status = HttpStatus.CONFLICT;
        } else if (error instanceof IllegalArgumentException) {
            status = HttpStatus.BAD_REQUEST;
        } else if (error instanceof ConnectionLossException
                || error instanceof OperationTimeoutException
                || error instanceof SessionExpiredException
                || error instanceof ClientClosedException) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
        } else if (error instanceof DataFormatException) {
            status = HttpStatus.UNPROCESSABLE_CONTENT;
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        return problem(status, error.getMessage());
    }

    static Mono<ServerResponse> problem(HttpStatus status, @Nullable String detail) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(status, detail == null ? status.getReasonPhrase() : detail);
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }
}
