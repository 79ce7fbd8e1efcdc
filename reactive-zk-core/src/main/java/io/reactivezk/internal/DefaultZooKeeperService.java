package io.reactivezk.internal;

import io.reactivezk.ClientClosedException;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.ZooKeeperSpec;
import io.reactivezk.internal.codec.Json;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The service: configuration, blocking scheduler, JSON mapper and the containers it created. */
public final class DefaultZooKeeperService implements ZooKeeperService {

    private static final Logger log = LoggerFactory.getLogger(DefaultZooKeeperService.class);
    private static final AtomicInteger SERVICES = new AtomicInteger();

    /** Threads for session lifecycle work: each task is short but may block (DNS, a close waiting for the server). */
    private static final int LIFECYCLE_THREADS = 4;

    private static final int LIFECYCLE_QUEUE = 100_000;

    private final ZooKeeperConfig config;
    private final ZooKeeperOptions options;
    private final Scheduler blocking;
    private final Scheduler lifecycle;
    private final Json json;
    private final List<DefaultZooKeeperContainer> containers = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    /** The closing chain, once started; kept so that it is never a fire-and-forget subscription. */
    private volatile @Nullable Disposable closing;

    /** How much longer than the close timeout a blocking close waits. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(5);

    /**
     * Creates the service and its blocking scheduler.
     *
     * @param config the configuration sections
     * @param options the options
     */
    public DefaultZooKeeperService(ZooKeeperConfig config, ZooKeeperOptions options) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.options = Objects.requireNonNull(options, "options must not be null");
        int service = SERVICES.incrementAndGet();
        this.blocking = Schedulers.newBoundedElastic(
                options.blockingThreadCap(), options.blockingQueueCap(), "reactive-zk-blocking-" + service, 60, true);
        // The sessions' own work (opening handles, closing dead ones, the give-up timer) never queues behind the
        // application's blocking calls on the scheduler above.
        this.lifecycle = Schedulers.newBoundedElastic(
                LIFECYCLE_THREADS, LIFECYCLE_QUEUE, "reactive-zk-session-" + service, 60, true);
        JsonMapper mapper = options.jsonMapper();
        this.json = new Json(mapper != null ? mapper : defaultMapper());
    }

    /**
     * Jackson's defaults, plus sorted properties and map keys: equal values always give equal bytes (Jackson does not
     * promise a stable property order otherwise, and {@code Map.of} has none).
     */
    static JsonMapper defaultMapper() {
        return JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    @Override
    public ZooKeeperContainer container(String configSection, @Nullable String zPath) {
        return container(configSection, zPath, options);
    }

    @Override
    public ZooKeeperContainer container(String configSection, @Nullable String zPath, ZooKeeperOptions options) {
        Objects.requireNonNull(configSection, "configSection must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Json containerJson = options.jsonMapper() == null || options.jsonMapper() == json.mapper()
                ? json
                : new Json(options.jsonMapper());
        ZooKeeperSpec spec = ZooKeeperSpec.resolve(config, configSection, zPath);
        // Under the lock that close() takes to list the containers: a container is either refused or closed with them.
        synchronized (containers) {
            if (closeStarted.get()) {
                throw new ClientClosedException("the ZooKeeperService is closed; no new containers");
            }
            String name = configSection + "#" + sequence.incrementAndGet();
            DefaultZooKeeperContainer[] self = new DefaultZooKeeperContainer[1];
            DefaultZooKeeperContainer container = new DefaultZooKeeperContainer(
                    name, spec, options, blocking, lifecycle, containerJson, () -> containers.remove(self[0]));
            self[0] = container;
            containers.add(container);
            return container;
        }
    }

    @Override
    public List<ZooKeeperContainer> containers() {
        return List.copyOf(containers);
    }

    @Override
    public ZooKeeperConfig config() {
        return config;
    }

    @Override
    public ZooKeeperOptions options() {
        return options;
    }

    @Override
    public Scheduler blockingScheduler() {
        return blocking;
    }

    @Override
    public JsonMapper jsonMapper() {
        return json.mapper();
    }

    @Override
    public Mono<Void> closeAsync() {
        List<DefaultZooKeeperContainer> open = null;
        synchronized (containers) {
            if (closeStarted.compareAndSet(false, true)) {
                open = List.copyOf(containers);
            }
        }
        if (open != null) {
            // Eager: closing starts now, whether or not the caller subscribes; the subscription is kept.
            Mono<Void> chain = Flux.fromIterable(open)
                    .flatMap(ZooKeeperContainer::closeAsync)
                    .then(Mono.fromRunnable(() -> {
                        blocking.dispose();
                        lifecycle.dispose();
                        log.info("ZooKeeperService closed");
                    }));
            closing = chain.subscribe(null, this::closeFailed, () -> report(closed.tryEmitEmpty()));
        }
        return closed.asMono();
    }

    private void closeFailed(Throwable error) {
        log.warn("ZooKeeperService: closing failed", error);
        blocking.dispose();
        lifecycle.dispose();
        report(closed.tryEmitError(error));
    }

    private static void report(Sinks.EmitResult result) {
        if (result.isFailure()) {
            log.debug("ZooKeeperService: close already reported ({})", result);
        }
    }

    @Override
    public void close() {
        close(options.closeTimeout().plus(CLOSE_MARGIN));
    }

    @Override
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        // Waiting is this method's contract; Reactor itself refuses block() on its non-blocking threads.
        closeAsync()
                .timeout(
                        timeout,
                        Mono.error(() ->
                                new IllegalStateException("ZooKeeperService: close did not finish within " + timeout)))
                .block();
    }

    @Override
    public String toString() {
        return "ZooKeeperService[" + containers.size() + " containers, " + options + "]";
    }
}
