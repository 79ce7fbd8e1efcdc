package io.reactivezk;

import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One ZooKeeper session rooted at a path: the reactive counterpart of ASAB's {@code ZooKeeperContainer}. Obtain it from
 * {@link ZooKeeperService#container(String, String)}.
 *
 * <h2>Paths</h2>
 * The container is a chroot at {@link ZooKeeperSpec#rootPath()}: every path given to it is relative to the root, with
 * or without a leading {@code /} ({@code getData("services/api")} and {@code getData("/services/api")} both read
 * {@code <root>/services/api}); {@code ""} and {@code "/"} are the root itself. Empty segments, {@code .} and
 * {@code ..} segments and characters ZooKeeper rejects throw {@link IllegalArgumentException} when the method is
 * called. The root is created, with its parents, on every connection before {@link ConnectionState#CONNECTED} is
 * emitted.
 *
 * <h2>Operations</h2>
 * Every operation is a cold {@code Mono}: ZooKeeper's asynchronous call is issued when it is subscribed, and again on
 * each re-subscription. While the container is {@link ConnectionState#SUSPENDED} or {@link ConnectionState#LOST}, an
 * operation waits for {@link ConnectionState#CONNECTED}; reads are retried after a connection loss; whatever does not
 * finish within {@link ZooKeeperOptions#operationTimeout()} fails with {@link OperationTimeoutException}. On a closed
 * container an operation fails at once with {@link ClientClosedException}. Failures are
 * {@link ZooKeeperClientException}s.
 *
 * <h2>Threads</h2>
 * Results and state events are signalled on ZooKeeper's event thread, unless {@link ZooKeeperOptions#publishOn()}
 * names a scheduler (a timeout error is signalled on Reactor's parallel scheduler). Never block in a subscriber on the
 * event thread: it would stall every other notification of this container. Move heavy work after
 * {@code publishOn}.
 */
public interface ZooKeeperContainer {

    /**
     * A name for this container, unique within its service, used in logs and {@link ConnectionEvent#container()}.
     *
     * @return for example {@code zookeeper#1}
     */
    String name();

    /**
     * Where this container connects and which root it uses, resolved when it was created.
     *
     * @return the spec
     */
    ZooKeeperSpec spec();

    /**
     * The connection state as a hot stream: a new subscriber first receives the current state, then every change.
     * States are never repeated back to back. Completes after {@link #close()}, whose final state is
     * {@link ConnectionState#LOST}. Signals on the thread that made the change (ZooKeeper's event thread, the
     * blocking scheduler while closing) unless {@link ZooKeeperOptions#publishOn()} is set.
     *
     * @return the state stream
     */
    Flux<ConnectionState> states();

    /**
     * Like {@link #states()}, with the session id and the session epoch of each change, so a same-session reconnect
     * ({@code SUSPENDED -> CONNECTED}, same id) can be told from a new session ({@code LOST -> CONNECTED}, epoch + 1).
     *
     * @return the event stream
     */
    Flux<ConnectionEvent> connectionEvents();

    /**
     * The latest connection event.
     *
     * @return the latest event, {@link ConnectionState#LOST} with session 0 before the first connection
     */
    ConnectionEvent connectionEvent();

    /**
     * The current state.
     *
     * @return the state of {@link #connectionEvent()}
     */
    default ConnectionState state() {
        return connectionEvent().state();
    }

    /**
     * Whether operations run right now.
     *
     * @return {@code true} if {@link #state()} is {@link ConnectionState#CONNECTED}
     */
    default boolean isConnected() {
        return state() == ConnectionState.CONNECTED;
    }

    /**
     * The absolute server path of a container path, checked as every operation checks it.
     *
     * @param path a path relative to the root, with or without a leading {@code /}
     * @return the absolute path on the server (below the connect string's chroot, if any)
     * @throws IllegalArgumentException if the path is invalid; the message names it
     * @throws NullPointerException if {@code path} is null
     */
    String resolvePath(String path);

    /**
     * The names of the root's children.
     *
     * @return see {@link #getChildren(String)}
     */
    default Mono<List<String>> getChildren() {
        return getChildren("");
    }

    /**
     * The names (not paths) of a node's children, sorted.
     *
     * @param path the node, relative to the root
     * @return the child names, or an empty {@code Mono} if the node does not exist
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<List<String>> getChildren(String path);

    /**
     * A node's data parsed as UTF-8 JSON; any JSON value (object, array, string, number, {@code null}).
     *
     * @param path the node, relative to the root
     * @return the JSON value, or an empty {@code Mono} if the node does not exist; fails with
     *     {@link DataFormatException} naming the path if the node is empty or not valid JSON
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<JsonNode> getData(String path);

    /**
     * A node's data parsed as UTF-8 JSON into a type, with the service's JSON mapper.
     *
     * @param path the node, relative to the root
     * @param type the target type
     * @param <T> the target type
     * @return the value; empty if the node does not exist or holds JSON {@code null}; fails with
     *     {@link DataFormatException} naming the path if the data is empty, invalid, or does not fit the type
     * @throws IllegalArgumentException if the path is invalid
     */
    <T> Mono<T> getData(String path, Class<T> type);

    /**
     * A node's data as bytes, exactly as stored.
     *
     * @param path the node, relative to the root
     * @return the bytes (an empty array for a node without data), or an empty {@code Mono} if the node does not exist
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<byte[]> getRawData(String path);

    /**
     * A node's metadata.
     *
     * @param path the node, relative to the root
     * @return the node's {@link Stat}, or an empty {@code Mono} if the node does not exist
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Stat> exists(String path);

    /**
     * Creates a persistent node; its parent must exist.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]} (stored as given), {@code String} (UTF-8) or any value written as JSON
     * @return see {@link #create(String, Object, CreateOptions)}
     */
    default Mono<String> create(String path, Object data) {
        return create(path, data, CreateOptions.persistent());
    }

    /**
     * Creates a node. Retried after a connection loss where that is safe: a retried create first checks whether its
     * earlier attempt already created the node (same data, and for an ephemeral node the current session as owner);
     * a persistent-sequential create is not retried, since its earlier attempt cannot be recognised. Cancelling cannot
     * undo a create the server has received.
     *
     * @param path the node, relative to the root; for a sequential mode, the prefix of the name
     * @param data {@code byte[]} (stored as given), {@code String} (UTF-8) or any value written as JSON
     * @param options mode, ACL, TTL, and whether to create missing parents
     * @return the created node's container-relative path (with the sequence number for sequential modes); fails with
     *     {@link NodeException.NodeExistsException} if it exists, {@link NodeException.NoNodeException} if the parent
     *     is missing and parents are not created
     * @throws IllegalArgumentException if the path is invalid or the data cannot be encoded
     * @throws PayloadTooLargeException if the data does not fit in {@code jute.maxbuffer}
     */
    Mono<String> create(String path, Object data, CreateOptions options);

    /**
     * Replaces a node's data whatever its version. Retried after a connection loss (writing the same data twice leaves
     * the same result). Cancelling cannot undo a write the server has received.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]} (stored as given), {@code String} (UTF-8) or any value written as JSON
     * @return the node's new {@link Stat}; fails with {@link NodeException.NoNodeException} if it does not exist
     * @throws IllegalArgumentException if the path is invalid or the data cannot be encoded
     * @throws PayloadTooLargeException if the data does not fit in {@code jute.maxbuffer}
     */
    default Mono<Stat> setData(String path, Object data) {
        return setData(path, data, -1);
    }

    /**
     * Replaces a node's data if it is at the expected version. Retried after a connection loss: a retry that finds the
     * node one version further with exactly this data succeeds, as the earlier attempt did. Cancelling cannot undo a
     * write the server has received.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]} (stored as given), {@code String} (UTF-8) or any value written as JSON
     * @param expectedVersion the version the node must have, or -1 for any
     * @return the node's new {@link Stat}; fails with {@link NodeException.BadVersionException} naming the path and
     *     the expected version, or {@link NodeException.NoNodeException}
     * @throws IllegalArgumentException if the path is invalid or the data cannot be encoded
     * @throws PayloadTooLargeException if the data does not fit in {@code jute.maxbuffer}
     */
    Mono<Stat> setData(String path, Object data, int expectedVersion);

    /**
     * Deletes a node whatever its version; see {@link #delete(String, int)}.
     *
     * @param path the node, relative to the root
     * @return completes when the node is gone
     */
    default Mono<Void> delete(String path) {
        return delete(path, -1);
    }

    /**
     * Deletes a node. Deleting a missing node succeeds (as ASAB), which also makes retries safe. Cancelling cannot undo
     * a delete the server has received.
     *
     * @param path the node, relative to the root
     * @param expectedVersion the version the node must have, or -1 for any
     * @return completes when the node is gone; fails with {@link NodeException.NotEmptyException} if it has children,
     *     {@link NodeException.BadVersionException} if it is at another version
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Void> delete(String path, int expectedVersion);

    /**
     * Deletes a node and everything below it, children first. Deleting the root {@code ""} empties it but keeps it.
     *
     * @param path the node, relative to the root
     * @return completes when the tree is gone (also if it never existed)
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Void> deleteRecursive(String path);

    /**
     * ASAB's upsert: replaces the node's data, or creates the node (with persistent parents) if it does not exist.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]} (stored as given), {@code String} (UTF-8) or any value written as JSON
     * @return the node's {@link Stat} after the write
     * @throws IllegalArgumentException if the path is invalid or the data cannot be encoded
     * @throws PayloadTooLargeException if the data does not fit in {@code jute.maxbuffer}
     */
    Mono<Stat> upsert(String path, Object data);

    /**
     * ASAB's ensure_path: creates the node and its parents as empty persistent nodes if missing. Idempotent.
     *
     * @param path the node, relative to the root
     * @return completes when the node exists
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Void> ensurePath(String path);

    /**
     * Starts a transaction: operations applied all together or not at all.
     *
     * @return a new, empty transaction
     */
    Transaction transaction();

    /**
     * Announces this service: an ephemeral sequential node {@code <root>/<path><10 digits>}, with missing parents
     * created persistent, kept in place for as long as the advertisement lives. After a session expiry it is re-created
     * as soon as the new session is {@link ConnectionState#CONNECTED}, owned by the new session; a node the old session
     * left behind is deleted, and a create whose reply was lost is recognised by its owner, so exactly one node exists.
     * A same-session reconnect changes nothing. Advertising again on the same path rewrites the same node in place
     * (ASAB's behaviour) and emits the same {@link Advertisement}. The advertisement is registered when the
     * {@code Mono} is subscribed; cancelling does not withdraw it (use {@link Advertisement#withdraw()}). Closing the
     * container removes every advertisement.
     *
     * @param data a JSON object (a {@code Map}, POJO, record or object {@code JsonNode}), a {@code String} (stored as
     *     UTF-8) or {@code byte[]} (stored as given): ASAB's encodings, so ASAB services read it byte for byte
     * @param path the node name's prefix, relative to the root, such as {@code "run/App."} or {@code "/run/App."}
     * @return the advertisement once its node exists; waits for a connection without the operation timeout (add your
     *     own {@code timeout} if needed)
     * @throws IllegalArgumentException if the path is invalid or the data is of another kind
     * @throws PayloadTooLargeException if the data does not fit in {@code jute.maxbuffer}
     */
    Mono<Advertisement> advertise(Object data, String path);

    /**
     * Runs blocking work with the raw handle on the service's blocking scheduler, once the container is connected:
     * the fallback for anything this API lacks. Not retried. The operation timeout covers only the wait for a
     * connection, not the call itself.
     *
     * @param call the work; a {@link org.apache.zookeeper.KeeperException} it throws becomes the matching
     *     {@link ZooKeeperClientException}
     * @param <T> the result type
     * @return the result, empty if the call returned {@code null}; signalled on the blocking scheduler (or
     *     {@link ZooKeeperOptions#publishOn()})
     */
    <T> Mono<T> execute(ZooKeeperCall<T> call);

    /**
     * The current raw ZooKeeper handle, for anything this API lacks. It changes when a session expires and a new one is
     * opened, so do not keep it. Its paths are absolute (see {@link #resolvePath(String)}). Do not close it.
     *
     * @return the current handle, which may be disconnected
     * @throws IllegalStateException if no handle exists yet (the first one is being created) or the container is
     *     closed
     */
    ZooKeeper zooKeeper();

    /**
     * Closes the session on the server, so its ephemeral nodes vanish at once, emits a final
     * {@link ConnectionState#LOST} and completes {@link #states()}. Idempotent: later calls complete when the first
     * close does. Operations fail with {@link ClientClosedException} afterwards.
     *
     * @return completes when the session is closed; the work runs on the service's blocking scheduler
     */
    Mono<Void> close();
}
