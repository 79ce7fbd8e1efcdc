package io.reactivezk;

import java.util.List;
import java.util.Objects;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;

/**
 * The children of one node as a {@link ZooKeeperContainer#watchChildren(String)} stream saw them, or the node's
 * absence. The {@link Stat} is shared by every subscriber of the same path: treat it as read-only.
 *
 * @param path the node's path relative to the container's root, with a leading {@code /} ({@code /} for the root)
 * @param absolutePath the node's absolute path on the server
 * @param children the names (not paths) of the children, sorted; empty if the node has none or does not exist
 * @param stat the node's metadata (its {@code pzxid} and {@code cversion} change with its children), or
 *     {@code null} if the node does not exist
 * @param resync {@code true} if this snapshot was read after a reconnection or a new session, when changes may have
 *     been missed
 */
public record ChildrenSnapshot(
        String path,
        String absolutePath,
        List<String> children,
        @Nullable Stat stat,
        boolean resync) {

    /**
     * Checks the components and makes the list unmodifiable.
     *
     * @param path the container-relative path
     * @param absolutePath the absolute path
     * @param children the child names, sorted
     * @param stat the metadata, or {@code null} for a missing node
     * @param resync whether the snapshot follows a reconnection or a new session
     * @throws NullPointerException if a path or the list is null
     */
    public ChildrenSnapshot {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(absolutePath, "absolutePath");
        stat = stat == null ? null : Stats.copy(stat);
        children = List.copyOf(children);
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
    public String toString() {
        if (stat == null) {
            return "ChildrenSnapshot[" + path + ", absent" + (resync ? ", resync" : "") + "]";
        }
        return "ChildrenSnapshot[" + path + ", " + children + ", cversion " + stat.getCversion()
                + (resync ? ", resync" : "") + "]";
    }
}
