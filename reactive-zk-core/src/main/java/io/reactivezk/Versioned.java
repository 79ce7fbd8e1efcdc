package io.reactivezk;

import java.util.Objects;
import org.apache.zookeeper.data.Stat;

/**
 * A value read together with its node's metadata, so that a write can be made conditional on the version it was read
 * at: {@code setData(path, changed, read.version())} fails with {@link NodeException.BadVersionException} if another
 * client wrote in between. See {@link ZooKeeperContainer#update(String, Class, java.util.function.UnaryOperator)} for
 * the whole read-modify-write loop.
 *
 * @param value the value read
 * @param stat the node's metadata at the read; a copy of its own, which this record never shares
 * @param <T> the value's type
 */
public record Versioned<T>(T value, Stat stat) {

    /**
     * Checks the components and copies the metadata.
     *
     * @param value the value read
     * @param stat the node's metadata
     * @throws NullPointerException if a component is null
     */
    public Versioned {
        Objects.requireNonNull(value, "value");
        stat = Stats.copy(Objects.requireNonNull(stat, "stat"));
    }

    /**
     * The node's data version at the read, for a conditional {@code setData} or {@code delete}.
     *
     * @return {@link Stat#getVersion()}
     */
    public int version() {
        return stat.getVersion();
    }

    /**
     * The node's metadata at the read.
     *
     * @return a copy: changing it changes nothing here
     */
    @Override
    public Stat stat() {
        return Stats.copy(stat);
    }
}
