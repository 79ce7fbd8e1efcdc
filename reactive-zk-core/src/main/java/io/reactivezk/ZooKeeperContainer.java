package io.reactivezk;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
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
public interface ZooKeeperContainer extends AutoCloseable {

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
     * States are never repeated back to back. Completes after {@link #closeAsync()}, whose final state is
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
     * Whether a node exists, for callers that do not need its {@link Stat}.
     *
     * @param path the node, relative to the root
     * @return {@code true} or {@code false}, never empty. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Boolean> isPresent(String path);

    /**
     * A node's bytes and its metadata, read together: the version to make a following write conditional on.
     *
     * @param path the node, relative to the root
     * @return the bytes (empty array for a node without data) with the node's {@link Stat}, or an empty {@code Mono}
     *     if the node does not exist. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Versioned<byte[]>> getRawDataAndStat(String path);

    /**
     * Like {@link #getData(String)}, with the node's metadata read together.
     *
     * @param path the node, relative to the root
     * @return the JSON value with the {@link Stat}, or an empty {@code Mono} if the node does not exist; fails with
     *     {@link DataFormatException} naming the path if the data is not JSON. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Versioned<JsonNode>> getDataAndStat(String path);

    /**
     * Like {@link #getData(String, Class)}, with the node's metadata read together.
     *
     * @param path the node, relative to the root
     * @param type the target type
     * @param <T> the target type
     * @return the value with the {@link Stat}; empty if the node does not exist or holds JSON {@code null}; fails with
     *     {@link DataFormatException} naming the path if the data does not fit. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    <T> Mono<Versioned<T>> getDataAndStat(String path, Class<T> type);

    /**
     * Read-modify-write of a JSON node, safe against concurrent writers: reads the value and its version, applies
     * {@code change}, and writes the result only if the node is still at that version; if another client wrote in
     * between ({@code BADVERSION}), it waits a few jittered milliseconds (5 ms doubling, at most 200 ms), reads again
     * and applies {@code change} again, up to 10 attempts in all. {@code change}
     * runs on ZooKeeper's event thread once per attempt: keep it quick and free of side effects.
     *
     * @param path the node, relative to the root
     * @param type the value's type
     * @param change computes the new value from the current one; must not return {@code null}
     * @param <T> the value's type
     * @return the value written and the node's new {@link Stat}; fails with {@link NodeException.NoNodeException} if
     *     the node does not exist (or holds JSON {@code null}), with {@link NodeException.BadVersionException} if
     *     every attempt met a concurrent write, with {@link IllegalArgumentException} if {@code change} returned
     *     {@code null}. Cancelling cannot undo a write the server has received.
     * @throws IllegalArgumentException if the path is invalid
     */
    <T> Mono<Versioned<T>> update(String path, Class<T> type, UnaryOperator<T> change);

    /**
     * Reads many nodes in one round trip (ZooKeeper's read {@code multi}, 3.6+): "read these 50 configuration nodes at
     * once". Each node is read on its own: a missing one does not fail the others.
     *
     * @param paths the nodes, relative to the root; may be empty
     * @return one snapshot per path, in the order given: data and {@link Stat}, or {@link NodeSnapshot#exists()}
     *     {@code false} for a missing node; fails with the {@link NodeException} of a node the server refused to read
     *     ({@code NOAUTH}, say), or of code {@code UNIMPLEMENTED} on a server without read {@code multi}. Signals on
     *     ZooKeeper's event thread.
     * @throws IllegalArgumentException if a path is invalid
     * @throws NullPointerException if the list or a path is null
     */
    Mono<List<NodeSnapshot>> getDataAll(List<String> paths);

    /**
     * Like {@link #getChildren(String)}, with the node's own metadata (its {@code cversion} and {@code pzxid} change
     * with its children).
     *
     * @param path the node, relative to the root
     * @return the sorted child names with the node's {@link Stat}, or an empty {@code Mono} if the node does not
     *     exist. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Versioned<List<String>>> getChildrenAndStat(String path);

    /**
     * Waits until the server this container is connected to has caught up with the leader for a path (ZooKeeper's
     * {@code sync}), so that a following read sees every write committed before the call: for reading what another
     * client has just written.
     *
     * @param path the node, relative to the root (ZooKeeper syncs the whole server; the path names the request)
     * @return completes once synced. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Void> sync(String path);

    /**
     * A node's ACL and its metadata (its {@code aversion} is the version {@link #setACL(String, List, int)} checks).
     * ZooKeeper answers only callers with READ or ADMIN permission on the node.
     *
     * @param path the node, relative to the root
     * @return the ACL with the {@link Stat}, or an empty {@code Mono} if the node does not exist; fails with a
     *     {@link NodeException} of code {@code NOAUTH} without permission. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Versioned<List<ACL>>> getACL(String path);

    /**
     * Replaces a node's ACL if its ACL is at the expected version. Not retried after a connection loss (a retry could
     * not tell its own earlier change from another client's). Cancelling cannot undo a write the server has received.
     *
     * @param path the node, relative to the root
     * @param acl the new ACL, not empty, without {@code null} entries
     * @param expectedVersion the ACL version the node must have ({@code Stat.getAversion()}), or -1 for any
     * @return the node's new {@link Stat}; fails with {@link NodeException.BadVersionException},
     *     {@link NodeException.NoNodeException}, or a {@link NodeException} of code {@code NOAUTH} or
     *     {@code INVALIDACL}
     * @throws IllegalArgumentException if the path or the ACL is invalid
     */
    Mono<Stat> setACL(String path, List<ACL> acl, int expectedVersion);

    /**
     * The ephemeral nodes this container's current session owns whose paths start with {@code prefix} (ZooKeeper
     * 3.6+): one request, wherever they are in the tree. The prefix is a path prefix, so {@code "run/App."} finds
     * {@code /run/App.0000000007}, and {@code ""} finds every one below the root.
     *
     * @param prefix a path prefix relative to the root
     * @return the container-relative paths, sorted; fails with a {@link NodeException} of code {@code UNIMPLEMENTED}
     *     naming the needed version on older servers. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the prefix is not a valid path
     */
    Mono<List<String>> getEphemerals(String prefix);

    /**
     * How many nodes are below a node, at any depth (ZooKeeper 3.6+), counted by the server without listing them.
     *
     * @param path the node, relative to the root
     * @return the count, or an empty {@code Mono} if the node does not exist; fails with a {@link NodeException} of
     *     code {@code UNIMPLEMENTED} on older servers. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<Integer> getAllChildrenNumber(String path);

    /**
     * The identities the server knows the current session by (ZooKeeper 3.7+ {@code whoAmI}): for checking which
     * credentials took effect. ZooKeeper offers it only as a blocking call, so it runs on the blocking scheduler.
     *
     * @return the identities, such as {@code ip 127.0.0.1} and {@code digest alice}; fails after the operation timeout
     *     if the container is not connected, or with a {@link NodeException} of code {@code UNIMPLEMENTED} naming the
     *     needed version on older servers. Signals on the blocking scheduler.
     */
    Mono<List<Identity>> whoAmI();

    /**
     * The ensemble's configuration as the connected server last committed it ({@code /zookeeper/config}, read with
     * ZooKeeper's {@code getConfig}; the container's root and chroot do not apply). Retried after a connection loss.
     * A standalone server answers with an empty configuration.
     *
     * @return the configuration; fails after the operation timeout if the container is not connected, or with
     *     {@link NodeException} {@code NOAUTH} if the server's ACL on the node refuses reading. Signals on ZooKeeper's
     *     event thread.
     */
    Mono<EnsembleConfig> getConfig();

    /**
     * The ensemble's configuration now and after each change (a dynamic reconfiguration): a latest-value stream, like
     * {@link #watchData(String)}. It waits for a connection without a time limit, re-reads after a reconnection or a
     * new session, and emits only configurations that differ from the one before. Every subscriber of a container
     * shares one watch; a late subscriber receives the current configuration first.
     *
     * @return a stream that completes when the container closes; it fails only if the server refuses to read the
     *     node. Signals on ZooKeeper's event thread (or the configured publish-on scheduler).
     */
    Flux<EnsembleConfig> watchConfig();

    /**
     * Changes the ensemble's membership incrementally (ZooKeeper's dynamic reconfiguration, through the admin
     * handle): the servers in {@code joining} are added (or updated, for an id already there), the ids in
     * {@code leaving} removed. The servers must have {@code reconfigEnabled=true}, and the session needs the super
     * user or WRITE permission on {@code /zookeeper/config}. Not retried: after a connection loss the outcome is
     * unknown, so read {@link #getConfig()}.
     *
     * @param joining server lines such as {@code server.4=10.0.0.4:2888:3888:participant;2181}; may be empty
     * @param leaving ids of servers to remove; may be empty (but not both)
     * @param fromVersion the {@link EnsembleConfig#version()} this change is based on, or {@code -1} for any: with a
     *     version, the change fails if the configuration changed meanwhile
     * @return the new configuration; fails with {@link NodeException.BadVersionException} if the configuration is
     *     no longer at {@code fromVersion}, or a {@link NodeException} whose message says why the server refused: code
     *     {@code RECONFIGDISABLED}, {@code UNIMPLEMENTED} (a standalone server), {@code NEWCONFIGNOQUORUM},
     *     {@code RECONFIGINPROGRESS}, {@code BADARGUMENTS} or {@code NOAUTH}. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if both lists are empty, a line is not one {@code server.N=...} entry, an id
     *     is negative or {@code fromVersion} is below -1
     * @throws NullPointerException if a list or an element is null
     */
    Mono<EnsembleConfig> reconfig(List<String> joining, List<Long> leaving, long fromVersion);

    /**
     * Replaces the ensemble's membership as a whole (non-incremental dynamic reconfiguration); otherwise as
     * {@link #reconfig(List, List, long)}.
     *
     * @param members the new membership, one {@code server.N=...} line each
     * @param fromVersion the version this change is based on, or {@code -1} for any
     * @return the new configuration; fails as {@link #reconfig(List, List, long)} does
     * @throws IllegalArgumentException if {@code members} is empty, a line is not one {@code server.N=...} entry or
     *     {@code fromVersion} is below -1
     * @throws NullPointerException if the list or an element is null
     */
    Mono<EnsembleConfig> reconfigMembers(List<String> members, long fromVersion);

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
     * earlier attempt already created the node (same data, and for an ephemeral node the current session as owner),
     * and never takes a node this container handed to another caller, so two concurrent creates are never both told
     * they created one node (for a persistent node created in an earlier session, "same data" is all there is: the
     * rule of Curator's {@code idempotent()});
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
     * {@code Mono} is subscribed; cancelling (a caller's {@code timeout}, say) does not withdraw it: find it with
     * {@link #advertisement(String)} and use {@link Advertisement#withdraw()}. Closing the container removes every
     * advertisement.
     *
     * <p>The node repairs itself: deleted or overwritten by another client, it is back with its own data at once (a
     * data watch on it reports the change), also after a same-session reconnect. Transient failures (connection
     * loss) are retried with backoff until the node exists; a failure that retrying cannot mend fails the returned
     * {@code Mono} and, if the node was never created, forgets the advertisement.
     *
     * @param data a JSON object (a {@code Map}, POJO, record or object {@code JsonNode}), a {@code String} (stored as
     *     UTF-8) or {@code byte[]} (stored as given): ASAB's encodings, so ASAB services read it byte for byte
     * @param path the node name's prefix, relative to the root, such as {@code "run/App."} or {@code "/run/App."}
     * @return the advertisement once its node exists; waits for a connection without the operation timeout (add your
     *     own {@code timeout} if needed). Fails with a {@link NodeException} the server answered that retrying cannot
     *     mend ({@code NOAUTH}, {@code INVALIDACL}, {@code NOCHILDRENFOREPHEMERALS} for an ephemeral parent), or with
     *     {@link ClientClosedException} if the container closes first. Signals on ZooKeeper's event thread.
     * @throws IllegalArgumentException if the path is invalid or the data is of another kind
     * @throws PayloadTooLargeException if the data does not fit in {@code jute.maxbuffer}
     */
    Mono<Advertisement> advertise(Object data, String path);

    /**
     * The live advertisement made with {@code path}: for a caller whose {@code advertise} was cancelled, or who did not
     * keep the handle.
     *
     * @param path the prefix given to {@link #advertise(Object, String)}, in any of its accepted forms
     * @return the advertisement; empty if none was made with that path, or it was withdrawn or forgotten after a
     *     failure
     * @throws IllegalArgumentException if the path is invalid
     */
    Optional<Advertisement> advertisement(String path);

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
     * Completes with the first {@link ConnectionState#CONNECTED} event, at once if the container is connected now:
     * for code that must not start before ZooKeeper is there.
     *
     * @param timeout how long to wait
     * @return the CONNECTED event; fails with {@link OperationTimeoutException} after {@code timeout}, or with
     *     {@link ClientClosedException} if the container is or becomes closed. Signals on the thread that made the
     *     change (ZooKeeper's event thread), or on the caller's thread when already connected. Cancelling only stops
     *     the waiting.
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    Mono<ConnectionEvent> connected(Duration timeout);

    /**
     * Starts closing at once, whether or not the result is subscribed: closes the session on the server, so its
     * ephemeral nodes vanish at once, emits a final {@link ConnectionState#LOST} and completes {@link #states()}.
     * Idempotent: every call returns the completion of the first. Operations fail with {@link ClientClosedException}
     * afterwards.
     *
     * @return completes when the session is closed; the work runs on the service's session scheduler
     */
    Mono<Void> closeAsync();

    /**
     * Closes like {@link #closeAsync()} and waits for it, at most {@link ZooKeeperOptions#closeTimeout()} and a
     * margin: the one blocking call of the container, for try-with-resources, {@code main} methods and tests. Do not
     * call it on a Reactor non-blocking thread (Reactor refuses) or in a ZooKeeper callback.
     *
     * @throws IllegalStateException if closing did not finish in time
     */
    @Override
    void close();

    // ---- watches ----

    /** How many tree events a subscriber of {@link #watchTree(String)} may fall behind before it is resynchronised. */
    int DEFAULT_TREE_BUFFER_SIZE = 10_000;

    /**
     * A node's data and metadata as a stream that follows the server: the current state first, then a new snapshot
     * whenever the node is created, deleted or its data is set (its {@code mzxid} changes). A missing node is a
     * snapshot with {@link NodeSnapshot#exists()} {@code false}; a node that stays missing emits nothing more. The
     * stream converges: its last element always matches the server once changes stop.
     *
     * <p><b>Backpressure:</b> latest value wins. A slow subscriber skips intermediate snapshots and gets the newest one
     * when it requests more; nothing piles up for it.
     *
     * <p><b>Connections:</b> the stream lives across reconnections and session expiry and does not fail because of
     * them. It waits while the container is {@link ConnectionState#SUSPENDED} or {@link ConnectionState#LOST}. After a
     * reconnection within the session, and after a new session (whose watch is added again), the node is read again
     * and a snapshot marked {@link NodeSnapshot#resync()} is emitted if the node changed meanwhile (by {@code mzxid}
     * and existence); an unchanged node emits nothing.
     *
     * <p><b>Sharing:</b> all subscribers of the same path, in data, children and typed streams alike, share one
     * ZooKeeper persistent watch ({@link org.apache.zookeeper.AddWatchMode#PERSISTENT}) and one read per change; a
     * subscriber that joins later receives the latest snapshot at once, on its own thread. Cancelling the last
     * subscriber removes the watch from the server, together with any persistent watch the application added on the
     * same path with the raw handle.
     *
     * <p><b>Threads:</b> signals arrive on ZooKeeper's event thread (or on the thread that requests more, after a
     * subscriber lagged), unless {@link ZooKeeperOptions#publishOn()} names a scheduler, which then carries every
     * signal. Never block on the event thread: it delivers every watch and result of this container.
     *
     * <p><b>End:</b> completes when the container is closed (at once on a closed container). Fails only if the server
     * refuses to watch or read the node, for example with {@link NodeException} {@code NOAUTH}.
     *
     * @param path the node, relative to the root; it need not exist
     * @return a cold stream: each subscription joins the container's shared watch on the path
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if {@code path} is null
     */
    Flux<NodeSnapshot> watchData(String path);

    /**
     * The next change of a node, once: for code that wants exactly one notification rather than a stream. It shares
     * the container's watch of the path with {@link #watchData(String)} (so it does not disturb a persistent watch on a
     * ZooKeeper 3.6-3.8 server, which keeps one watch mode per path), and, like the stream, it goes on across
     * reconnections and new sessions: a change made meanwhile is reported when the node is read again, and nothing is
     * reported if the node is unchanged. Changes before the node's first read are not changes.
     *
     * @param path the node, relative to the root; it need not exist
     * @return the change as a {@link WatchedEvent} with the container-relative path: {@code NodeCreated} (also for a
     *     node deleted and created again), {@code NodeDeleted} or {@code NodeDataChanged}; fails with
     *     {@link ClientClosedException} if the container closes first. Signals as {@link #watchData(String)} does.
     *     Cancelling removes the watch if nothing else uses it.
     * @throws IllegalArgumentException if the path is invalid
     */
    Mono<WatchedEvent> nextChange(String path);

    /**
     * A node's data decoded as UTF-8 JSON of a type, as a stream; see {@link #watchData(String)} for when values are
     * emitted, backpressure (latest value wins), connections, sharing, threads and the end of the stream. Data that
     * cannot be decoded arrives as a {@link DataValue} carrying the {@link DataFormatException}, and the stream goes
     * on.
     *
     * @param path the node, relative to the root
     * @param type the target type, decoded with the service's JSON mapper
     * @param <T> the target type
     * @return the stream; a missing node is a value with {@link DataValue#exists()} {@code false}
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if an argument is null
     */
    default <T> Flux<DataValue<T>> watchData(String path, Class<T> type) {
        return watchData(path, type, UndecodableData.EMIT);
    }

    /**
     * Like {@link #watchData(String, Class)}, choosing what happens to data that cannot be decoded.
     *
     * @param path the node, relative to the root
     * @param type the target type, decoded with the service's JSON mapper
     * @param undecodable {@link UndecodableData#EMIT} to emit a {@link DataValue} carrying the error,
     *     {@link UndecodableData#SKIP} to emit nothing for it (the subscriber keeps the last good value)
     * @param <T> the target type
     * @return the stream; a missing node is a value with {@link DataValue#exists()} {@code false}
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if an argument is null
     */
    <T> Flux<DataValue<T>> watchData(String path, Class<T> type, UndecodableData undecodable);

    /**
     * A node's children as a stream that follows the server: the current sorted child names first, then a new
     * snapshot whenever a child is added or removed or the node itself is created or deleted (its {@code pzxid} or
     * {@code cversion} changes). A missing node is a snapshot with {@link ChildrenSnapshot#exists()} {@code false} and
     * no children. Changes of the children's data are not reported.
     *
     * <p>Backpressure (latest value wins), connections (a {@link ChildrenSnapshot#resync()} snapshot after a
     * reconnection or a new session if the children changed), sharing (one persistent watch per path,
     * shared with {@link #watchData(String)}), threads and the end of the stream are as for
     * {@link #watchData(String)}.
     *
     * @param path the node, relative to the root; it need not exist
     * @return a cold stream: each subscription joins the container's shared watch on the path
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if {@code path} is null
     */
    Flux<ChildrenSnapshot> watchChildren(String path);

    /**
     * A subtree as a stream of events, with a buffer of {@link #DEFAULT_TREE_BUFFER_SIZE} events per subscriber; see
     * {@link #watchTree(String, int)}.
     *
     * @param path the subtree's top node, relative to the root; it need not exist
     * @return the stream
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if {@code path} is null
     */
    default Flux<TreeEvent> watchTree(String path) {
        return watchTree(path, DEFAULT_TREE_BUFFER_SIZE);
    }

    /**
     * A subtree (the node and all its descendants) as a stream of events, from a ZooKeeper persistent recursive watch
     * ({@link org.apache.zookeeper.AddWatchMode#PERSISTENT_RECURSIVE}). The stream starts with the current tree, read
     * without blocking: one {@link TreeEvent.Type#PRESENT} event per existing node, the top node first and parents
     * before children, each with its {@code mzxid}; then {@link TreeEvent.Type#INITIALIZED}; then every
     * {@link TreeEvent.Type#CREATED}, {@link TreeEvent.Type#DATA_CHANGED} and {@link TreeEvent.Type#DELETED} with the
     * zxid of its transaction. If the top node does not exist, the stream starts with {@code INITIALIZED} alone.
     *
     * <p>After a reconnection or a new session, changes may have been missed: the stream emits
     * {@link TreeEvent.Type#RESYNC}, then the tree again ({@code PRESENT}s and {@code INITIALIZED}). Rebuild your view
     * from them. The stream does not fail because of connection problems.
     *
     * <p><b>Backpressure:</b> each subscriber has a buffer of {@code bufferSize} events. A subscriber that falls further
     * behind loses its buffer and receives {@code RESYNC}, the tree as it is at that moment (as {@code PRESENT}s,
     * however many nodes it holds) and {@code INITIALIZED} (once the tree has been read), then the changes that follow.
     * Subscribers that join a tree already watched receive its current nodes the same way, without {@code RESYNC}.
     *
     * <p><b>Sharing:</b> all subscribers of the same path share one server watch and one reading of the tree.
     * Cancelling the last one removes the watch from the server, together with any persistent recursive watch the
     * application added on the same path with the raw handle.
     *
     * <p><b>Threads:</b> as for {@link #watchData(String)}: ZooKeeper's event thread (or the thread that requests more),
     * or the {@link ZooKeeperOptions#publishOn()} scheduler. <b>End:</b> completes when the container is closed; fails
     * only if the server refuses to watch or read the tree (for example {@code NOAUTH} on a node).
     *
     * @param path the subtree's top node, relative to the root; it need not exist
     * @param bufferSize how many events a subscriber may fall behind before it is resynchronised, at least 1
     * @return a cold stream: each subscription joins the container's shared watch on the subtree
     * @throws IllegalArgumentException if the path is invalid or {@code bufferSize} is less than 1
     * @throws NullPointerException if {@code path} is null
     */
    Flux<TreeEvent> watchTree(String path, int bufferSize);
}
