package io.reactivezk.metrics;

import io.reactivezk.ConnectionState;

/** A container's live values, read whenever a gauge is sampled; each read is cheap and never blocks. */
public interface ContainerGauges {

    /**
     * The connection state now.
     *
     * @return the state
     */
    ConnectionState state();

    /**
     * The server watches the container's watch streams hold now (one per watched path and mode, however many
     * subscribers share it).
     *
     * @return the count
     */
    int serverWatches();

    /**
     * The subscribers of the container's watch streams now.
     *
     * @return the count
     */
    int watchSubscribers();
}
