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
