package io.reactivezk.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reactivezk.ConnectionState;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for every container of a service, each tagged {@code container} with the container's name:
 *
 * <ul>
 *   <li>{@code reactivezk.operations} (timer), tags {@code operation} ({@code getData}, {@code create}, ...) and
 *       {@code outcome} ({@code success}, {@code node_error}, {@code timeout}, {@code connection_loss},
 *       {@code error}, {@code cancelled}). There is no path tag: paths are unbounded (sequential nodes, per-entity
 *       paths) and a tag per path would grow the registry without limit.
 *   <li>{@code reactivezk.retries} (counter), tag {@code operation}: attempts repeated after a transient failure.
 *   <li>{@code reactivezk.connection.losses}, {@code reactivezk.session.expiries},
 *       {@code reactivezk.readvertisements} (counters).
 *   <li>{@code reactivezk.connection.state} (gauge), tag {@code state} ({@code lost}, {@code suspended},
 *       {@code connected}): 1 for the current state, 0 for the others.
 *   <li>{@code reactivezk.watches.server} and {@code reactivezk.watches.subscribers} (gauges).
 * </ul>
 *
 * <p>A container's meters are removed from the registry when it closes.
 */
public final class MicrometerMetrics implements ZooKeeperMetrics {

    private final MeterRegistry registry;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    @Override
    public ContainerMetrics container(String container, ContainerGauges gauges) {
        return new Recorder(container, gauges);
    }

    @Override
    public String toString() {
        return "ZooKeeperMetrics.micrometer(" + registry.getClass().getSimpleName() + ")";
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** One container's meters. */
    private final class Recorder implements ContainerMetrics {

        private final String container;

        /** Held here: Micrometer's gauges hold their object weakly, and nothing else may hold this one. */
        private final ContainerGauges gauges;

        private final List<Meter> meters = new CopyOnWriteArrayList<>();
        private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();
        private final Map<String, Counter> retries = new ConcurrentHashMap<>();
        private final Counter connectionLosses;
        private final Counter sessionExpiries;
        private final Counter readvertisements;

        Recorder(String container, ContainerGauges gauges) {
            this.container = container;
            this.gauges = gauges;
            connectionLosses = keep(Counter.builder("reactivezk.connection.losses")
                    .description("Times the connection was lost (CONNECTED to SUSPENDED)")
                    .tag("container", container)
                    .register(registry));
            sessionExpiries = keep(Counter.builder("reactivezk.session.expiries")
                    .description("Sessions lost and replaced by a new one")
                    .tag("container", container)
                    .register(registry));
            readvertisements = keep(Counter.builder("reactivezk.readvertisements")
                    .description("Advertisements written again after a session loss or a deletion")
                    .tag("container", container)
                    .register(registry));
            for (ConnectionState state : ConnectionState.values()) {
                keep(Gauge.builder("reactivezk.connection.state", gauges, g -> g.state() == state ? 1 : 0)
                        .description("1 for the container's current connection state")
                        .tag("container", container)
                        .tag("state", tag(state))
                        .strongReference(true)
                        .register(registry));
            }
            keep(Gauge.builder("reactivezk.watches.server", gauges, ContainerGauges::serverWatches)
                    .description("Server watches held for the container's watch streams")
                    .tag("container", container)
                    .strongReference(true)
                    .register(registry));
            keep(Gauge.builder("reactivezk.watches.subscribers", gauges, ContainerGauges::watchSubscribers)
                    .description("Subscribers of the container's watch streams")
                    .tag("container", container)
                    .strongReference(true)
                    .register(registry));
        }

        private <M extends Meter> M keep(M meter) {
            meters.add(meter);
            return meter;
        }

        @Override
        public void operation(String operation, long nanos, Outcome outcome) {
            Timer[] byOutcome = timers.computeIfAbsent(operation, o -> new Timer[Outcome.values().length]);
            Timer timer = byOutcome[outcome.ordinal()];
            if (timer == null) {
                timer = keep(Timer.builder("reactivezk.operations")
                        .description("ZooKeeper operations of the container, from subscription to result")
                        .tag("container", container)
                        .tag("operation", operation)
                        .tag("outcome", tag(outcome))
                        .register(registry));
                byOutcome[outcome.ordinal()] = timer;
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void retry(String operation) {
            retries.computeIfAbsent(
                            operation,
                            o -> keep(Counter.builder("reactivezk.retries")
                                    .description("Attempts repeated after a transient failure")
                                    .tag("container", container)
                                    .tag("operation", o)
                                    .register(registry)))
                    .increment();
        }

        @Override
        public void connectionLoss() {
            connectionLosses.increment();
        }

        @Override
        public void sessionExpiry() {
            sessionExpiries.increment();
        }

        @Override
        public void readvertisement() {
            readvertisements.increment();
        }

        @Override
        public void close() {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
