package io.reactivezk;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A node's data decoded as JSON of a type, as a typed {@link ZooKeeperContainer#watchData(String, Class)} stream
 * emits it: a value, the node's absence, JSON {@code null}, or a decoding failure.
 *
 * @param snapshot the snapshot the value was decoded from
 * @param value the decoded value, or {@code null} if the node does not exist, holds JSON {@code null}, or could not be
 *     decoded
 * @param error why the data could not be decoded, or {@code null}
 * @param <T> the target type
 */
public record DataValue<T>(
        NodeSnapshot snapshot, @Nullable T value, @Nullable DataFormatException error) {

    /**
     * Checks the components.
     *
     * @param snapshot the snapshot
     * @param value the value, if any
     * @param error the decoding failure, if any
     * @throws NullPointerException if {@code snapshot} is null
     * @throws IllegalArgumentException if both a value and an error are given
     */
    public DataValue {
        Objects.requireNonNull(snapshot, "snapshot");
        if (value != null && error != null) {
            throw new IllegalArgumentException("a DataValue has a value or an error, not both");
        }
    }

    /**
     * The node's container-relative path.
     *
     * @return see {@link NodeSnapshot#path()}
     */
    public String path() {
        return snapshot.path();
    }

    /**
     * Whether the node exists.
     *
     * @return see {@link NodeSnapshot#exists()}
     */
    public boolean exists() {
        return snapshot.exists();
    }

    /**
     * Whether the value was read after a reconnection or a new session.
     *
     * @return see {@link NodeSnapshot#resync()}
     */
    public boolean resync() {
        return snapshot.resync();
    }

    /**
     * Whether the node's data could not be decoded.
     *
     * @return {@code true} if {@link #error()} is set
     */
    public boolean failed() {
        return error != null;
    }

    /**
     * The value, if there is one.
     *
     * @return the value; empty if the node does not exist, holds JSON {@code null}, or could not be decoded
     */
    public Optional<T> asOptional() {
        return Optional.ofNullable(value);
    }

    /**
     * The value, or the decoding failure thrown.
     *
     * @return the value, or {@code null} if the node does not exist or holds JSON {@code null}
     * @throws DataFormatException if the data could not be decoded
     */
    public @Nullable T valueOrThrow() {
        if (error != null) {
            throw error;
        }
        return value;
    }
}
