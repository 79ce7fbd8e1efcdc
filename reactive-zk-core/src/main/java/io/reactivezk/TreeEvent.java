package io.reactivezk;

import java.util.Objects;

/**
 * One element of a {@link ZooKeeperContainer#watchTree(String)} stream: a node seen while the tree is read, a marker
 * of the stream's phases, or a change.
 *
 * <p>A stream reads {@code PRESENT* INITIALIZED (CREATED | DATA_CHANGED | DELETED)*}, and after a reconnection, a new
 * session or a buffer overflow {@code RESYNC PRESENT* INITIALIZED} again: after {@link Type#RESYNC}, forget the tree
 * you built and rebuild it from the {@link Type#PRESENT} events that follow.
 *
 * @param type what happened
 * @param path the node's path relative to the container's root, with a leading {@code /} ({@code /} for the root);
 *     for the markers, the watched path
 * @param absolutePath the node's absolute path on the server; for the markers, the watched path
 * @param zxid for {@link Type#PRESENT} the node's {@code mzxid}; for a change the zxid of the transaction that made
 *     it; {@code -1} for the markers
 */
public record TreeEvent(Type type, String path, String absolutePath, long zxid) {

    /**
     * Checks the components.
     *
     * @param type the type
     * @param path the container-relative path
     * @param absolutePath the absolute path
     * @param zxid the zxid
     * @throws NullPointerException if a component is null
     */
    public TreeEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(absolutePath, "absolutePath");
    }

    /**
     * Whether this is a phase marker rather than a node.
     *
     * @return {@code true} for {@link Type#INITIALIZED} and {@link Type#RESYNC}
     */
    public boolean isMarker() {
        return type == Type.INITIALIZED || type == Type.RESYNC;
    }

    /** The kinds of tree events. */
    public enum Type {
        /** A node that exists while the tree is (re-)read; parents come before their children. */
        PRESENT,
        /** Every node that existed when the tree was read has been reported; changes follow. */
        INITIALIZED,
        /** A node was created. */
        CREATED,
        /** A node's data was set. */
        DATA_CHANGED,
        /** A node was deleted. */
        DELETED,
        /**
         * Changes may have been missed (reconnection, new session, or this subscriber fell more than its buffer
         * behind): the tree is read again, and {@link #PRESENT} events and {@link #INITIALIZED} follow.
         */
        RESYNC
    }
}
