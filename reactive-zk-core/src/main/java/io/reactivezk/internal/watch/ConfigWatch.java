package io.reactivezk.internal.watch;

import io.reactivezk.ClientClosedException;
import io.reactivezk.EnsembleConfig;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.operation.Calls;
import io.reactivezk.internal.session.Session;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The stream of the ensemble configuration: read {@code /zookeeper/config} with a watch, read again when the watch
 * fires, and emit each configuration that differs from the one before.
 *
 * <p>One {@link Watcher} object serves the container: ZooKeeper keeps a set of watchers per path, so leaving the
 * same object on the node at every read leaves one watch, however many streams come and go. The watcher counts the
 * changes it sees; a read remembers the count it started at, so a change that fires between a read's reply and the
 * subscription to the next change is not lost. Reads wait for a connection and retry transient failures for as long
 * as the container is open: like the other watch streams, this one outlives outages and new sessions. The watch is not removed when the last stream is cancelled (ZooKeeper's
 * {@code removeWatches} would add the chroot to the path); it fires at most once more.
 */
public final class ConfigWatch implements Watcher {

    /** Between reads that failed with a transient error (the stream does not give up while the container lives). */
    private static final Duration RETRY_MIN_BACKOFF = Duration.ofMillis(50);

    private static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(2);

    private final Session session;
    private final UnaryOperator<Mono<EnsembleConfig>> published;

    /** The number of changes seen, replayed to late subscribers. */
    private final Sinks.Many<Long> changes = Sinks.many().replay().latest();

    private long changeCount;

    /**
     * @param session the container's session
     * @param published moves a read's result to the container's publish-on scheduler, if any
     */
    public ConfigWatch(Session session, UnaryOperator<Mono<EnsembleConfig>> published) {
        this.session = session;
        this.published = published;
        changes.tryEmitNext(0L);
    }

    /** Called on the handle's event thread. */
    @Override
    public void process(WatchedEvent event) {
        // A data event (changed, or deleted and created again) means the configuration changed. Disconnected and
        // SyncConnected come to every watcher and leave the watch in place; Expired and Closed end this handle's
        // watch, so the next read sets it on the next handle (or finds the container closed).
        boolean changed = event.getType() != Event.EventType.None
                || event.getState() == Event.KeeperState.Expired
                || event.getState() == Event.KeeperState.Closed;
        if (changed) {
            synchronized (this) {
                changes.tryEmitNext(++changeCount);
            }
        }
    }

    /** The configuration's stream; completes when the container closes. */
    public Flux<EnsembleConfig> stream() {
        return round().expand(Round::next).map(Round::config).distinctUntilChanged();
    }

    /** One read with the watch set, and the change that ends it. */
    private record Round(EnsembleConfig config, Mono<Round> next) {}

    private Mono<Round> round() {
        return Mono.defer(() -> {
            long before = currentCount();
            Mono<Round> next =
                    changes.asFlux().filter(count -> count > before).next().then(Mono.defer(this::round));
            Mono<EnsembleConfig> read = session.connected()
                    .flatMap(zk -> Calls.getConfig(zk, this))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, RETRY_MIN_BACKOFF)
                            .maxBackoff(RETRY_MAX_BACKOFF)
                            .filter(Errors::isTransient));
            return published
                    .apply(read)
                    .map(config -> new Round(config, next))
                    .onErrorResume(ClientClosedException.class, closed -> Mono.empty());
        });
    }

    private synchronized long currentCount() {
        return changeCount;
    }

    @Override
    public String toString() {
        return "ConfigWatch[" + ZooDefs.CONFIG_NODE + "]";
    }
}
