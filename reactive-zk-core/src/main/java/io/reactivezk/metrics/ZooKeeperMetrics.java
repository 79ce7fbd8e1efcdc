package io.reactivezk.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where a service's containers report what they do: operation timings, retries, connection losses, session
 * expiries, re-advertisements, and gauges of their state and watches. Set it with
 * {@link io.reactivezk.ZooKeeperOptions.Builder#metrics(ZooKeeperMetrics)}; the default, {@link #none()}, records
 * nothing and costs nothing. {@link #micrometer(MeterRegistry)} publishes Micrometer meters (Micrometer is an
 * optional dependency: only applications that call it need it on the class path). Implement it to send the same
 * signals elsewhere.
 */
public interface ZooKeeperMetrics {

    /**
     * Called once per container, when it is created.
     *
     * @param container the container's name, as {@link io.reactivezk.ZooKeeperContainer#name()}
     * @param gauges the container's live values, for gauges
     * @return what the container reports to
     */
    ContainerMetrics container(String container, ContainerGauges gauges);

    /**
     * Whether this records anything; when false, the containers skip timing altogether.
     *
     * @return true unless this is {@link #none()}
     */
    default boolean enabled() {
        return true;
    }

    /**
     * Metrics that record nothing.
     *
     * @return the no-op metrics
     */
    static ZooKeeperMetrics none() {
        return NoMetrics.INSTANCE;
    }

    /**
     * Micrometer meters in a registry; see {@link MicrometerMetrics} for the meters and their tags.
     *
     * @param registry the registry
     * @return the metrics
     */
    static ZooKeeperMetrics micrometer(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }
}
