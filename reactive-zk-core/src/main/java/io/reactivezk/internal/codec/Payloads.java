package io.reactivezk.internal.codec;

import io.reactivezk.PayloadTooLargeException;
import io.reactivezk.ZooKeeperOptions;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ZKConfig;
import org.reactivestreams.Publisher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the values users write into node data, with ASAB's encoding: {@code byte[]} as given, a {@code String} as
 * UTF-8, anything else as UTF-8 JSON. Also refuses payloads that would exceed {@code jute.maxbuffer} before anything
 * is sent.
 */
public final class Payloads {

    /** Room kept for the request header, path, ACL and flags around the data. */
    static final int REQUEST_OVERHEAD = 1024;

    /** Room kept per operation of a {@code multi} (its header, version, flags and ACL). */
    public static final int PER_OP_OVERHEAD = 128;

    private final JsonMapper mapper;
    /** The mapper's writer, refusing objects with nothing to write ({@code new Object()}, a class without properties). */
    private final ObjectWriter writer;

    private final int maxBuffer;

    public Payloads(JsonMapper mapper, ZooKeeperOptions options) {
        this.mapper = mapper;
        this.writer = mapper.writer().with(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.maxBuffer = maxBuffer(options);
    }

    /**
     * The {@code jute.maxbuffer} a container's client uses: its client property, else the system property, else
     * ZooKeeper's default.
     */
    static int maxBuffer(ZooKeeperOptions options) {
        String configured = options.clientProperties().get(ZKConfig.JUTE_MAXBUFFER);
        if (configured == null) {
            configured = System.getProperty(ZKConfig.JUTE_MAXBUFFER);
        }
        if (configured == null) {
            return ZKClientConfig.CLIENT_MAX_PACKET_LENGTH_DEFAULT;
        }
        try {
            return Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jute.maxbuffer must be a number of bytes: " + configured, e);
        }
    }

    /**
     * Encodes a value written to a node.
     *
     * @param value {@code byte[]} or {@code ByteBuffer} (stored as given), {@code String}, or anything Jackson can write
     * @param absolutePath the node, for errors
     * @return the bytes, checked against the size limit
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if the value is of a kind that is almost always a mistake (see
     *     {@link #refuseMistakes}) or has nothing to write
     * @throws IllegalArgumentException also if Jackson cannot write the value (its error is the cause)
     * @throws PayloadTooLargeException if the bytes would not fit in a request
     */
    public byte[] encode(Object value, String absolutePath) {
        if (value == null) {
            throw new NullPointerException("data for " + absolutePath + " must not be null");
        }
        byte[] bytes;
        if (value instanceof byte[] raw) {
            bytes = raw;
        } else if (value instanceof String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof ByteBuffer buffer) {
            // On purpose: the buffer's remaining bytes, as given (its position is left alone).
            ByteBuffer view = buffer.duplicate();
            bytes = new byte[view.remaining()];
            view.get(bytes);
        } else {
            refuseMistakes(value, absolutePath);
            try {
                bytes = writer.writeValueAsBytes(value);
            } catch (InvalidDefinitionException e) {
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON for " + absolutePath
                                + ": it has no properties to write (" + e.getOriginalMessage() + ")",
                        e);
            } catch (JacksonException e) {
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON for " + absolutePath + ": "
                                + e.getOriginalMessage(),
                        e);
            }
        }
        return checkSize(bytes, absolutePath);
    }

    /**
     * Refuses values that are almost always a mistake to store as JSON: an {@code Optional} (store its value), a
     * reactive publisher or a future (store what it emits), a stream or reader (read it first), a thread.
     */
    private static void refuseMistakes(Object value, String absolutePath) {
        String hint = null;
        if (value instanceof Optional<?>
                || value instanceof OptionalInt
                || value instanceof OptionalLong
                || value instanceof OptionalDouble) {
            hint = "store its value (optional.orElseThrow()), or nothing";
        } else if (value instanceof Publisher<?> || value instanceof Future<?> || value instanceof CompletionStage<?>) {
            hint = "store the value it emits, for example with flatMap(value -> zk.setData(path, value))";
        } else if (value instanceof InputStream || value instanceof Reader) {
            hint = "read it into a byte[] or String first";
        } else if (value instanceof Thread || value instanceof Class<?>) {
            hint = "store data, not a " + (value instanceof Thread ? "thread" : "class");
        }
        if (hint != null) {
            throw new IllegalArgumentException(
                    "refusing to write a " + value.getClass().getName() + " to " + absolutePath + " as JSON: " + hint);
        }
    }

    /**
     * Encodes an advertisement's data: a JSON object (a {@code Map}, a POJO or record, an object {@code JsonNode}), a
     * {@code String}, or {@code byte[]}, as ASAB accepts them.
     *
     * @param value the data
     * @param absolutePath the node, for errors
     * @return the bytes
     * @throws IllegalArgumentException if the value is of another kind (a number, a list, ...), naming its type
     */
    public byte[] encodeAdvertisement(Object value, String absolutePath) {
        Objects.requireNonNull(value, () -> "advertisement data for " + absolutePath + " must not be null");
        if (!(value instanceof byte[]) && !(value instanceof String)) {
            JsonNode tree;
            try {
                tree = mapper.valueToTree(value);
            } catch (JacksonException e) {
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON for " + absolutePath + ": "
                                + e.getOriginalMessage(),
                        e);
            }
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("advertisement data must be a JSON object (a Map, a POJO or record, "
                        + "an object JsonNode), a String or byte[]; got "
                        + value.getClass().getName());
            }
        }
        return encode(value, absolutePath);
    }

    /**
     * Checks that data fits in a request.
     *
     * @param data the bytes
     * @param absolutePath the node
     * @return {@code data}
     * @throws PayloadTooLargeException if it does not fit
     */
    public byte[] checkSize(byte[] data, String absolutePath) {
        int limit = maxBuffer - REQUEST_OVERHEAD - absolutePath.getBytes(StandardCharsets.UTF_8).length;
        if (data.length > limit) {
            throw new PayloadTooLargeException(absolutePath, data.length, Math.max(limit, 0), maxBuffer);
        }
        return data;
    }

    /**
     * Checks that a request of {@code length} bytes plus the fixed overhead fits.
     *
     * @param length the bytes the request carries
     * @param what the request, for the error
     * @throws PayloadTooLargeException if it does not fit
     */
    public void checkLength(int length, String what) {
        int limit = maxBuffer - REQUEST_OVERHEAD;
        if (length > limit) {
            throw new PayloadTooLargeException(what, length, Math.max(limit, 0), maxBuffer);
        }
    }
}
