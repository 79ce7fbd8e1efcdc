package io.reactivezk.internal.write;

import io.reactivezk.CreateOptions;
import io.reactivezk.NodeException;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.codec.ZkPaths;
import io.reactivezk.internal.operation.Call;
import io.reactivezk.internal.operation.Calls;
import io.reactivezk.internal.operation.Operations;
import io.reactivezk.internal.operation.Reply;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes on absolute paths, with the rules that make retrying them after a connection loss safe.
 *
 * <ul>
 *   <li>A create is retried unless it is persistent-sequential. A retried non-sequential create that meets an existing
 *       node checks whether the node is its own (same data and, for an ephemeral node, owned by the current session)
 *       and then succeeds; an ephemeral-sequential create first looks for its own node under the parent (owner is the
 *       current session, same data) and adopts it instead of creating a duplicate. "Same data" is Curator's
 *       {@code idempotent()} rule; {@link Claims} adds what it lacks: a node that this container already handed to
 *       another caller is never adopted, so two concurrent creates are never both told they created one node.
 *   <li>A retried versioned {@code setData} that meets {@code BADVERSION} succeeds if the node is at the next version
 *       with exactly its data.
 *   <li>A delete of a missing node succeeds, so retrying one is safe.
 * </ul>
 */
public final class Writes {

    /** How often a create re-creates parents that a concurrent delete removed in between. */
    private static final int PARENT_ATTEMPTS = 3;

    private final Operations operations;
    private final Claims claims;

    /** The connect string's chroot ("" for none): {@code getEphemerals} works on server paths. */
    private final String chroot;

    /** Set once a server said it has no {@code getEphemerals} (before 3.6): then the parent is listed instead. */
    private volatile boolean listInsteadOfEphemerals;

    public Writes(Operations operations, Claims claims, String chroot) {
        this.operations = operations;
        this.claims = claims;
        this.chroot = chroot;
    }

    /**
     * Creates a node.
     *
     * @param naming turns the created node's absolute path into the result (the container makes it relative)
     * @return the result for the created node's path
     */
    public Mono<String> create(String path, byte[] data, CreateOptions options, UnaryOperator<String> naming) {
        CreateRequest request = new CreateRequest(path, data, options, naming);
        return operations.call("create", path, request.retryable, request, request);
    }

    /**
     * A create as one object: the first request (whose callback records the claim and names the result) and the
     * attempts of the general path, so that the success path allocates this and nothing else of its own.
     */
    private final class CreateRequest
            implements Call<String>,
                    BiFunction<ZooKeeper, Integer, Mono<String>>,
                    AsyncCallback.StringCallback,
                    AsyncCallback.Create2Callback {

        private final String path;
        private final byte[] data;
        private final CreateOptions options;
        private final UnaryOperator<String> naming;
        private final boolean retryable;

        CreateRequest(String path, byte[] data, CreateOptions options, UnaryOperator<String> naming) {
            this.path = path;
            this.data = data;
            this.options = options;
            this.naming = naming;
            CreateMode mode = options.mode();
            this.retryable = !(mode.isSequential() && !mode.isEphemeral());
        }

        @Override
        public void issue(ZooKeeper zk, Reply<? super String> reply) {
            if (options.ttl() == null) {
                // The plain create: its reply carries the name only, which is all the result needs.
                zk.create(path, data, options.acl(), options.mode(), (AsyncCallback.StringCallback) this, reply);
            } else {
                zk.create(
                        path,
                        data,
                        options.acl(),
                        options.mode(),
                        this,
                        reply,
                        options.ttl().toMillis());
            }
        }

        @Override
        public void processResult(int rc, String ignored, Object ctx, String name, Stat stat) {
            processResult(rc, ignored, ctx, name);
        }

        @Override
        public void processResult(int rc, String ignored, Object ctx, String name) {
            @SuppressWarnings("unchecked")
            Reply<? super String> reply = (Reply<? super String>) ctx;
            if (rc == Code.OK.intValue()) {
                if (retryable) {
                    claims.created(name, reply.sessionId());
                }
                reply.success(naming.apply(name));
            } else if (rc == Code.NONODE.intValue() && options.createParents()) {
                reply.again(); // the general path creates the parents
            } else {
                reply.failure(Calls.createFailure(Code.get(rc), path, options.mode()));
            }
        }

        @Override
        public Mono<String> apply(ZooKeeper zk, Integer attempt) {
            CreateMode mode = options.mode();
            Mono<Calls.Created> created = createOnce(zk, path, data, options, PARENT_ATTEMPTS);
            if (retryable) {
                created = created.doOnNext(node -> claims.created(node.path(), zk.getSessionId()));
            }
            if (attempt > 0) {
                if (mode.isSequential()) {
                    created = findOwnSequential(zk, path, Optional.of(data)).switchIfEmpty(created);
                } else {
                    Mono<Calls.Created> fresh = created;
                    created = fresh.onErrorResume(
                            NodeException.NodeExistsException.class,
                            exists -> ownNode(zk, path, data, mode).switchIfEmpty(Mono.error(exists)));
                }
            }
            return created.map(node -> naming.apply(node.path()));
        }
    }

    private static Mono<Calls.Created> createOnce(
            ZooKeeper zk, String path, byte[] data, CreateOptions options, int parentAttempts) {
        long ttl = options.ttl() == null ? -1 : options.ttl().toMillis();
        Mono<Calls.Created> create = Calls.create(zk, path, data, options.acl(), options.mode(), ttl);
        if (!options.createParents() || parentAttempts <= 0) {
            return create;
        }
        return create.onErrorResume(
                NodeException.NoNodeException.class,
                missingParent -> createParents(zk, path, options.acl(), options.parentMode())
                        .then(Mono.defer(() -> createOnce(zk, path, data, options, parentAttempts - 1))));
    }

    /** Creates the missing ancestors of {@code path}, outermost first; existing ones are left alone. */
    static Mono<Void> createParents(ZooKeeper zk, String path, List<ACL> acl, CreateMode parentMode) {
        return Flux.fromIterable(ZkPaths.ancestors(path))
                .concatMap(parent -> Calls.create(zk, parent, new byte[0], acl, parentMode, -1)
                        .onErrorResume(NodeException.NodeExistsException.class, e -> Mono.empty()))
                .then();
    }

    /**
     * The existing node at {@code path} if it holds {@code data}, when ephemeral belongs to this session, and was not
     * handed to another caller of this container.
     */
    private Mono<Calls.Created> ownNode(ZooKeeper zk, String path, byte[] data, CreateMode mode) {
        long session = zk.getSessionId();
        return Calls.getData(zk, path)
                .filter(node -> Arrays.equals(node.data(), data)
                        && (!mode.isEphemeral() || node.stat().getEphemeralOwner() == session)
                        && claims.adopt(path, session))
                .map(node -> new Calls.Created(path, node.stat()))
                .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty());
    }

    /**
     * A node {@code <prefix><10 digits>} owned by this handle's session, optionally with the given data, that no other
     * caller of this container was handed: what a sequential create whose reply was lost left behind. The node found
     * is claimed for the caller.
     *
     * <p>The server tells which ephemeral nodes the session owns under the prefix ({@code getEphemerals}, ZooKeeper
     * 3.6+): one request, and data reads only for those, however many siblings the parent has (listing the parent and
     * reading every sibling made an ensemble-wide session loss cost M² reads for M advertisers). Older servers get the
     * listing.
     */
    Mono<Calls.Created> findOwnSequential(ZooKeeper zk, String prefix, Optional<byte[]> data) {
        String parent = ZkPaths.parent(prefix);
        String namePrefix = prefix.substring(prefix.lastIndexOf('/') + 1);
        long session = zk.getSessionId();
        return candidates(zk, prefix, parent, namePrefix)
                .flatMapMany(Flux::fromIterable)
                .filter(child -> !claims.isClaimed(child, session))
                .concatMap(child -> Calls.getData(zk, child)
                        .filter(node -> node.stat().getEphemeralOwner() == session
                                && data.map(d -> Arrays.equals(d, node.data())).orElse(true)
                                && claims.adopt(child, session))
                        .map(node -> new Calls.Created(child, node.stat()))
                        .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty()))
                .next();
    }

    /** The paths of {@code <prefix><10 digits>} nodes that may be the session's own. */
    private Mono<List<String>> candidates(ZooKeeper zk, String prefix, String parent, String namePrefix) {
        Mono<List<String>> listing = Calls.getChildren(zk, parent)
                .onErrorResume(NodeException.NoNodeException.class, e -> Mono.just(List.of()))
                .map(names -> names.stream()
                        .filter(name -> isSequentialOf(name, namePrefix))
                        .map(name -> ZkPaths.child(parent, name))
                        .toList());
        if (listInsteadOfEphemerals) {
            return listing;
        }
        return Calls.getEphemerals(zk, chroot, prefix)
                .map(paths -> paths.stream()
                        .filter(path ->
                                ZkPaths.parent(path).equals(parent) && isSequentialOf(ZkPaths.name(path), namePrefix))
                        .toList())
                .onErrorResume(e -> e instanceof NodeException n && n.code() == Code.UNIMPLEMENTED, e -> {
                    listInsteadOfEphemerals = true;
                    return listing;
                });
    }

    /** The node at {@code path} was created by this container's caller in {@code sessionId}. */
    void created(String path, long sessionId) {
        claims.created(path, sessionId);
    }

    /** A delete of {@code path} through the container succeeded, or found it gone. */
    void deleted(String path) {
        claims.release(path);
    }

    /** Whether {@code name} is {@code namePrefix} followed by ZooKeeper's 10-digit sequence number. */
    static boolean isSequentialOf(String name, String namePrefix) {
        if (name.length() != namePrefix.length() + 10 || !name.startsWith(namePrefix)) {
            return false;
        }
        for (int i = namePrefix.length(); i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public Mono<Stat> setData(String path, byte[] data, int expectedVersion) {
        SetDataRequest request = new SetDataRequest(path, data, expectedVersion);
        return operations.call("setData", path, true, request, request);
    }

    /** A {@code setData} as one object: the request, its callback and the attempts of the general path. */
    private static final class SetDataRequest
            implements Call<Stat>, BiFunction<ZooKeeper, Integer, Mono<Stat>>, AsyncCallback.StatCallback {

        private final String path;
        private final byte[] data;
        private final int expectedVersion;

        SetDataRequest(String path, byte[] data, int expectedVersion) {
            this.path = path;
            this.data = data;
            this.expectedVersion = expectedVersion;
        }

        @Override
        public void issue(ZooKeeper zk, Reply<? super Stat> reply) {
            zk.setData(path, data, expectedVersion, this, reply);
        }

        @Override
        public void processResult(int rc, String ignored, Object ctx, Stat stat) {
            @SuppressWarnings("unchecked")
            Reply<? super Stat> reply = (Reply<? super Stat>) ctx;
            if (rc == Code.OK.intValue()) {
                reply.success(stat);
            } else {
                reply.failure(Errors.of(Code.get(rc), "setData", path, expectedVersion));
            }
        }

        @Override
        public Mono<Stat> apply(ZooKeeper zk, Integer attempt) {
            Mono<Stat> set = Calls.mono(zk, this);
            if (attempt == 0 || expectedVersion < 0) {
                return set;
            }
            // A retry that meets BADVERSION: the earlier attempt may have been applied, with exactly this data.
            return set.onErrorResume(
                    NodeException.BadVersionException.class,
                    conflict -> Calls.getData(zk, path)
                            .filter(node ->
                                    node.stat().getVersion() == expectedVersion + 1 && Arrays.equals(node.data(), data))
                            .map(Calls.NodeData::stat)
                            .switchIfEmpty(Mono.error(conflict)));
        }
    }

    public Mono<Void> delete(String path, int expectedVersion) {
        return operations.call("delete", path, true, new DeleteRequest(path, expectedVersion));
    }

    /** A delete; a node already gone counts as deleted, so that a retry is safe. */
    private final class DeleteRequest implements Call<Void>, AsyncCallback.VoidCallback {

        private final String path;
        private final int expectedVersion;

        DeleteRequest(String path, int expectedVersion) {
            this.path = path;
            this.expectedVersion = expectedVersion;
        }

        @Override
        public void issue(ZooKeeper zk, Reply<? super Void> reply) {
            zk.delete(path, expectedVersion, this, reply);
        }

        @Override
        public void processResult(int rc, String ignored, Object ctx) {
            @SuppressWarnings("unchecked")
            Reply<? super Void> reply = (Reply<? super Void>) ctx;
            if (rc == Code.OK.intValue() || rc == Code.NONODE.intValue()) {
                claims.release(path);
                reply.success(null);
            } else {
                reply.failure(Errors.of(Code.get(rc), "delete", path, expectedVersion));
            }
        }
    }

    public Mono<Void> deleteRecursive(String path) {
        return operations.run("deleteRecursive", path, true, zk -> deleteTree(zk, path, PARENT_ATTEMPTS));
    }

    private Mono<Void> deleteTree(ZooKeeper zk, String path, int attempts) {
        Mono<Void> self = ZkPaths.ROOT.equals(path)
                ? Mono.empty()
                : Calls.delete(zk, path, -1).doOnSuccess(deleted -> claims.release(path));
        return Calls.getChildren(zk, path)
                .flatMapMany(Flux::fromIterable)
                .concatMap(child -> deleteTree(zk, ZkPaths.child(path, child), attempts))
                .then(self)
                .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty())
                .onErrorResume(
                        e -> e instanceof NodeException.NotEmptyException && attempts > 1,
                        e -> deleteTree(zk, path, attempts - 1));
    }

    public Mono<Stat> upsert(String path, byte[] data, CreateOptions options) {
        return operations.run(
                "upsert",
                path,
                true,
                zk -> Calls.setData(zk, path, data, -1)
                        .onErrorResume(
                                NodeException.NoNodeException.class,
                                missing -> createOnce(zk, path, data, options.withParents(), PARENT_ATTEMPTS)
                                        .map(Calls.Created::stat)
                                        .onErrorResume(
                                                NodeException.NodeExistsException.class,
                                                raced -> Calls.setData(zk, path, data, -1))));
    }

    public Mono<Void> ensurePath(String path, CreateOptions options) {
        return operations.run(
                "ensurePath",
                path,
                true,
                zk -> Calls.exists(zk, path)
                        .hasElement()
                        .flatMap(exists -> exists
                                ? Mono.<Void>empty()
                                : createOnce(zk, path, new byte[0], options.withParents(), PARENT_ATTEMPTS)
                                        .then()
                                        .onErrorResume(NodeException.NodeExistsException.class, e -> Mono.empty())));
    }
}
