package io.reactivezk.recipe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One advertised instance under {@code run/}, in ASAB's format: what ASAB's {@code ApiService} and reactive-zk's
 * {@code advertise} write, and what ASAB's {@code DiscoveryService} reads.
 *
 * @param node the advertisement node's name, such as {@code MyApp.0000000007}
 * @param appclass the {@code appclass} field, or the node name's part before its last {@code .} if there is none
 * @param instanceId {@code instance_id}, if any
 * @param serviceId {@code service_id}, if any
 * @param host {@code host}, if any
 * @param web {@code web}: the listening sockets, each {@code [address, port, ...]}
 * @param discovery {@code discovery}: further ids by type
 * @param json the whole advertisement, for fields this type does not name
 */
public record ServiceInstance(
        String node,
        String appclass,
        @Nullable String instanceId,
        @Nullable String serviceId,
        @Nullable String host,
        List<List<Object>> web,
        Map<String, List<String>> discovery,
        JsonNode json) {

    /**
     * Checks the components and copies the collections.
     *
     * @param node the node name
     * @param appclass the application class
     * @param instanceId the instance id
     * @param serviceId the service id
     * @param host the host
     * @param web the sockets
     * @param discovery ids by type
     * @param json the advertisement
     */
    public ServiceInstance {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(appclass, "appclass");
        Objects.requireNonNull(json, "json");
        web = List.copyOf(web);
        discovery = Collections.unmodifiableMap(new LinkedHashMap<>(discovery));
    }

    /**
     * Decodes an advertisement as ASAB's discovery reads it; fields of the wrong type count as absent.
     *
     * @param node the node name
     * @param json the node's JSON object
     * @return the instance
     */
    static ServiceInstance decode(String node, JsonNode json) {
        String appclass = text(json, "appclass");
        if (appclass == null) {
            int dot = node.lastIndexOf('.');
            appclass = dot > 0 ? node.substring(0, dot) : node;
        }
        List<List<Object>> web = new ArrayList<>();
        JsonNode sockets = json.get("web");
        if (sockets != null && sockets.isArray()) {
            for (JsonNode socket : sockets) {
                if (socket.isArray() && socket.size() >= 2) {
                    List<Object> entry = new ArrayList<>();
                    for (JsonNode part : socket) {
                        entry.add(part.isNumber() ? (Object) part.numberValue() : part.asString());
                    }
                    web.add(Collections.unmodifiableList(entry));
                }
            }
        }
        Map<String, List<String>> discovery = new LinkedHashMap<>();
        JsonNode ids = json.get("discovery");
        if (ids != null && ids.isObject()) {
            for (Map.Entry<String, JsonNode> type : ids.properties()) {
                if (type.getValue().isArray()) {
                    List<String> values = new ArrayList<>();
                    type.getValue().forEach(id -> {
                        if (!id.isNull()) {
                            values.add(id.asString());
                        }
                    });
                    discovery.put(type.getKey(), List.copyOf(values));
                }
            }
        }
        return new ServiceInstance(
                node,
                appclass,
                text(json, "instance_id"),
                text(json, "service_id"),
                text(json, "host"),
                web,
                discovery,
                json);
    }

    private static @Nullable String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    /**
     * The ids this instance can be located by, as ASAB's discovery indexes them: the {@code discovery} ids, with
     * {@code instance_id} and {@code service_id} as types of their own.
     *
     * @return id type to ids
     */
    public Map<String, Set<String>> ids() {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        discovery.forEach((type, values) -> ids.put(type, new LinkedHashSet<>(values)));
        if (instanceId != null) {
            ids.put("instance_id", Set.of(instanceId));
        }
        if (serviceId != null) {
            ids.put("service_id", Set.of(serviceId));
        }
        return ids;
    }

    /**
     * The URLs of this instance, as ASAB's {@code locate} builds them: {@code http://<host>:<port>} for each
     * {@code web} socket bound to all addresses ({@code 0.0.0.0} or {@code ::}); sockets bound to one address are
     * not counted, and an instance without {@code host} has none.
     *
     * @return the URLs, without duplicates, in {@code web}'s order
     */
    public Set<String> urls() {
        Set<String> urls = new LinkedHashSet<>();
        if (host == null) {
            return urls;
        }
        for (List<Object> socket : web) {
            Object address = socket.get(0);
            if ("0.0.0.0".equals(address) || "::".equals(address)) {
                urls.add("http://" + host + ":" + socket.get(1));
            }
        }
        return urls;
    }
}
