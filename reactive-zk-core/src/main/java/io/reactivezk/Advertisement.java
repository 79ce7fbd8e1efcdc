package io.reactivezk;

import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A service announcement: one ephemeral sequential node that the container keeps in place for as long as the
 * advertisement lives, re-creating it at once in each new session after a session loss (never a duplicate), until
 * {@link #withdraw()} or the container closes. Obtain it from {@link ZooKeeperContainer#advertise(Object, String)}.
 *
 * <p>Thread-safe.
 */
public interface Advertisement {

    /**
     * The path the advertisement was made with, as the container resolves it.
     *
     * @return for example {@code /run/App.}
     */
    String path();

    /**
     * The node that holds the advertisement right now, container-relative.
     *
     * @return for example {@code /run/App.0000000007}; empty while it is being re-created after a session loss, and
     *     after {@link #withdraw()}
     */
    Optional<String> node();

    /**
     * The node's path each time it changes (a new session gives a new sequence number): replays the current node to a
     * new subscriber, then emits each new one; completes after {@link #withdraw()} or when the container closes.
     * Signals on ZooKeeper's event thread.
     *
     * @return the node paths, container-relative
     */
    Flux<String> nodes();

    /**
     * The data currently advertised, as stored.
     *
     * @return a copy of the bytes
     */
    byte[] data();

    /**
     * Replaces the advertised data, rewriting the same node in place (and the node of every later session).
     *
     * @param data a JSON object (a {@code Map}, POJO, record or object {@code JsonNode}), a {@code String} (stored as
     *     UTF-8) or {@code byte[]} (stored as given)
     * @return completes when the node holds the new data; fails with {@link ClientClosedException} if the
     *     advertisement was withdrawn or its container closed. Cancelling does not undo the update.
     * @throws IllegalArgumentException if the data is of another kind, or too large (a {@link PayloadTooLargeException})
     */
    Mono<Void> update(Object data);

    /**
     * Deletes the node and stops re-creating it. The deletion goes on in the background until it succeeds (waiting for
     * a connection if needed) or the container closes, even if the returned {@code Mono} is cancelled. Idempotent.
     *
     * @return completes when the node is deleted
     */
    Mono<Void> withdraw();
}
