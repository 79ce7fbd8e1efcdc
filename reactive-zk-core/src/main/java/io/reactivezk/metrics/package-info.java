/**
 * Metrics of a service's containers: the {@link io.reactivezk.metrics.ZooKeeperMetrics} SPI, and Micrometer meters
 * ({@link io.reactivezk.metrics.MicrometerMetrics}) for applications that have Micrometer on the class path.
 */
@NullMarked
package io.reactivezk.metrics;

import org.jspecify.annotations.NullMarked;
