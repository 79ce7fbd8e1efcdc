package io.reactivezk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state of one node as a {@link ZooKeeperContainer#watchData(String)} stream saw it: its data and metadata, or
 * its absence.
 *
 * <p>{@link #stat()} and {@link #data()} return copies: nothing a subscriber changes reaches another.
 *
 * @param path the node's path relative to the container's root, with a leading {@code /} ({@code /} for the root)
 * @param absolutePath the node's absolute path on the server
 * @param data the node's bytes (an empty array for a node without data), or {@code null} if the node does not exist
 * @param stat the node's metadata, or {@code null} if the node does not exist
 * @param resync {@code true} if this snapshot was read after a reconnection or a new session, when changes may have
 *     been missed; the snapshot itself is always the server's state at the time of the read
 */
public record NodeSnapshot(
        String path,
        String absolutePath,
        byte @Nullable [] data,
        @Nullable Stat stat,
        boolean resync) {

    /**
     * Checks the components.
     *
     * @param path the container-relative path
     * @param absolutePath the absolute path
     * @param data the bytes, or {@code null} for a missing node
     * @param stat the metadata, or {@code null} for a missing node
     * @param resync whether the snapshot follows a reconnection or a new session
     * @throws NullPointerException if a path is null
     * @throws IllegalArgumentException if exactly one of {@code data} and {@code stat} is null
     */
    public NodeSnapshot {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(absolutePath, "absolutePath");
        stat = stat == null ? null : Stats.copy(stat);
        if ((data == null) != (stat == null)) {
            throw new IllegalArgumentException("data and stat must both be present or both be absent: " + path);
        }
    }

    /**
     * Whether the node exists.
     *
     * @return {@code true} if the node existed when it was read
     */
    public boolean exists() {
        return stat != null;
    }

    /**
     * A copy of the node's bytes.
     *
     * @return the bytes (an empty array for a node without data), or {@code null} if the node does not exist
     */
    @Override
    public byte @Nullable [] data() {
        return data == null ? null : data.clone();
    }

    /**
     * The node's data decoded as UTF-8 text.
     *
     * @return the text, or {@code null} if the node does not exist
     */
    public @Nullable String text() {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    /**
     * The node's data decoded as UTF-8 JSON of a type, with the given mapper (for example
     * {@link ZooKeeperService#jsonMapper()}).
     *
     * @param mapper the mapper
     * @param type the target type
     * @param <T> the target type
     * @return the value, or {@code null} if the node does not exist or holds JSON {@code null}
     * @throws DataFormatException naming the path if the data is empty, not valid JSON, or does not fit the type
     * @throws NullPointerException if an argument is null
     */
    public <T> @Nullable T json(JsonMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new DataFormatException(
                    "node " + absolutePath + " is empty, so it holds no JSON", absolutePath, null);
        }
        try {
            return mapper.readValue(data, type);
        } catch (JacksonException e) {
            throw new DataFormatException(
                    "node " + absolutePath + " does not hold JSON of type " + type.getName() + ": "
                            + e.getOriginalMessage(),
                    absolutePath,
                    e);
        }
    }

    /**
     * The node's metadata.
     *
     * @return a copy of its own for each call (ZooKeeper's {@link Stat} is mutable), or {@code null} if the node does
     *     not exist
     */
    @Override
    public @Nullable Stat stat() {
        return stat == null ? null : Stats.copy(stat);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof NodeSnapshot that
                && path.equals(that.path)
                && absolutePath.equals(that.absolutePath)
                && Arrays.equals(data, that.data)
                && Objects.equals(stat, that.stat)
                && resync == that.resync;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, absolutePath, Arrays.hashCode(data), stat, resync);
    }

    /** Describes the snapshot without its bytes, which may be large or secret. */
    @Override
    public String toString() {
        if (stat == null) {
            return "NodeSnapshot[" + path + ", absent" + (resync ? ", resync" : "") + "]";
        }
        return "NodeSnapshot[" + path + ", " + (data == null ? 0 : data.length) + " bytes, version " + stat.getVersion()
                + ", mzxid 0x" + Long.toHexString(stat.getMzxid()) + (resync ? ", resync" : "") + "]";
    }
}
