package io.reactivezk;

/**
 * What a typed data watch ({@link ZooKeeperContainer#watchData(String, Class, UndecodableData)}) does with a node
 * whose data cannot be decoded.
 */
public enum UndecodableData {

    /** Emit a {@link DataValue} that carries the {@link DataFormatException}; the stream continues. */
    EMIT,

    /** Emit nothing for it: the subscriber keeps the last value it decoded. The stream continues. */
    SKIP
}
