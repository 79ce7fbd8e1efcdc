package io.reactivezk.internal.codec;

import io.reactivezk.DataFormatException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Decoding of node data as UTF-8 JSON, with errors that name the node. CPU only: safe on the event thread. */
public final class Json {

    private final JsonMapper mapper;

    /**
     * Wraps a mapper.
     *
     * @param mapper the mapper to use
     */
    public Json(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The mapper.
     *
     * @return the mapper
     */
    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * Parses a node's data as any JSON value.
     *
     * @param data the node's bytes
     * @param path the node's absolute path, for the error message
     * @return the JSON value ({@code null} in JSON gives a null node, not Java null)
     * @throws DataFormatException if the data is empty or not valid JSON
     */
    public JsonNode readTree(byte[] data, String path) {
        requireContent(data, path);
        try {
            JsonNode node = mapper.readTree(data);
            if (node == null || node.isMissingNode()) {
                throw new DataFormatException("node " + path + " holds no JSON value", path, null);
            }
            return node;
        } catch (JacksonException e) {
            throw new DataFormatException(
                    "node " + path + " does not hold valid JSON: " + e.getOriginalMessage(), path, e);
        }
    }

    /**
     * Parses a node's data as JSON of the given type.
     *
     * @param data the node's bytes
     * @param path the node's absolute path, for the error message
     * @param type the target type
     * @param <T> the target type
     * @return the value, or {@code null} if the JSON is {@code null}
     * @throws DataFormatException if the data is empty, not valid JSON, or does not fit the type
     */
    public <T> @Nullable T read(byte[] data, String path, Class<T> type) {
        requireContent(data, path);
        try {
            return mapper.readValue(data, type);
        } catch (JacksonException e) {
            throw new DataFormatException(
                    "node " + path + " does not hold JSON of type " + type.getName() + ": " + e.getOriginalMessage(),
                    path,
                    e);
        }
    }

    private static void requireContent(byte[] data, String path) {
        if (data.length == 0) {
            throw new DataFormatException("node " + path + " is empty, so it holds no JSON", path, null);
        }
    }
}
