package io.reactivezk;

import io.reactivezk.internal.DefaultZooKeeperService;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The entry point: owns the configuration, the blocking scheduler (daemon threads, the replacement of ASAB's
 * {@code ProactorService}), the JSON mapper and every container it created.
 *
 * <pre>{@code
 * ZooKeeperService service = ZooKeeperService.create(ZooKeeperConfig.fromIni(Path.of("app.conf")));
 * ZooKeeperContainer zk = service.container();            // [zookeeper] section, else ASAB_ZOOKEEPER_SERVERS
 * zk.getChildren("services").flatMapMany(Flux::fromIterable).flatMap(name -> zk.getData("services/" + name));
 * service.close(); // or closeAsync()
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface ZooKeeperService extends AutoCloseable {

    /**
     * A service configured from the environment only ({@code ASAB_ZOOKEEPER_SERVERS}).
     *
     * @return the service
     */
    static ZooKeeperService create() {
        return create(ZooKeeperConfig.empty());
    }

    /**
     * A service with the given configuration and default options.
     *
     * @param config the configuration sections
     * @return the service
     */
    static ZooKeeperService create(ZooKeeperConfig config) {
        return create(config, ZooKeeperOptions.defaults());
    }

    /**
     * A service with the given configuration and options.
     *
     * @param config the configuration sections
     * @param options the options
     * @return the service
     */
    static ZooKeeperService create(ZooKeeperConfig config, ZooKeeperOptions options) {
        return new DefaultZooKeeperService(config, options);
    }

    /**
     * A container from the {@code [zookeeper]} section (else {@code ASAB_ZOOKEEPER_SERVERS}).
     *
     * @return a new container, connecting in the background
     * @throws ZooKeeperConfigurationException if no servers are configured anywhere
     */
    default ZooKeeperContainer container() {
        return container(ZooKeeperSpec.DEFAULT_SECTION, null);
    }

    /**
     * A container from a {@code zookeeper://} URL, gaps filled from {@code [zookeeper]} and the environment.
     *
     * @param zPath the URL, or {@code null} for none
     * @return a new container, connecting in the background
     * @throws ZooKeeperConfigurationException if the URL is malformed or no servers are configured anywhere
     */
    default ZooKeeperContainer container(@Nullable String zPath) {
        return container(ZooKeeperSpec.DEFAULT_SECTION, zPath);
    }

    /**
     * A container from a URL and a configuration section, resolved as {@link ZooKeeperSpec#resolve} describes. Each
     * call creates a new container with its own session. Never blocks: it connects in the background, and its
     * {@link ZooKeeperContainer#states()} start with {@link ConnectionState#LOST}.
     *
     * @param configSection the section to read, such as {@code zookeeper} or {@code my:zk}
     * @param zPath the URL, or {@code null} for none
     * @return a new container
     * @throws ZooKeeperConfigurationException if the URL is malformed or no servers are configured anywhere
     * @throws ClientClosedException if the service is closed
     */
    ZooKeeperContainer container(String configSection, @Nullable String zPath);

    /**
     * Like {@link #container(String, String)}, with options of its own for this container: operation timeout,
     * retries, reconnection backoff, close timeout, credentials, ACL, read-only mode, client properties, JSON mapper
     * and {@code publishOn}. Start them from the service's: {@code service.options().mutate()...build()}. The
     * blocking scheduler's caps stay the service's (the scheduler is shared).
     *
     * @param configSection the section to read, such as {@code zookeeper} or {@code my:zk}
     * @param zPath the URL, or {@code null} for none
     * @param options this container's options
     * @return a new container
     * @throws ZooKeeperConfigurationException if the URL is malformed or no servers are configured anywhere
     * @throws ClientClosedException if the service is closed
     * @throws NullPointerException if {@code configSection} or {@code options} is null
     */
    ZooKeeperContainer container(String configSection, @Nullable String zPath, ZooKeeperOptions options);

    /**
     * The containers this service created and has not closed.
     *
     * @return a snapshot
     */
    List<ZooKeeperContainer> containers();

    /**
     * The configuration the service resolves containers from.
     *
     * @return the configuration
     */
    ZooKeeperConfig config();

    /**
     * The options of the service and its containers.
     *
     * @return the options
     */
    ZooKeeperOptions options();

    /**
     * The scheduler for blocking work: a daemon bounded-elastic scheduler this service owns and disposes on close.
     * {@code execute} runs here. The sessions' own work (opening a session, closing a dead handle, timing a
     * disconnection) runs on a separate small scheduler of the service, so a saturated blocking scheduler never delays
     * recovery.
     *
     * @return the scheduler
     */
    Scheduler blockingScheduler();

    /**
     * The JSON mapper used by {@code getData} and JSON writes.
     *
     * @return the mapper
     */
    JsonMapper jsonMapper();

    /**
     * Starts closing at once, whether or not the result is subscribed: closes every container, then disposes the
     * service's schedulers. Idempotent: every call returns the completion of the first. A container requested while the
     * service closes is refused with {@link ClientClosedException}, or, if it was created first, closed with the others.
     *
     * @return completes when everything is closed
     */
    Mono<Void> closeAsync();

    /**
     * Closes like {@link #closeAsync()} and waits at most {@link ZooKeeperOptions#closeTimeout()} and a margin, for
     * try-with-resources.
     *
     * @throws IllegalStateException if closing did not finish in time, or if called on a Reactor non-blocking thread
     */
    @Override
    void close();

    /**
     * Closes like {@link #closeAsync()} and waits for it, for callers on their own threads (a {@code main} method, a
     * shutdown hook). Do not call it on a Reactor non-blocking thread.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException if closing did not finish in time
     */
    void close(Duration timeout);
}
