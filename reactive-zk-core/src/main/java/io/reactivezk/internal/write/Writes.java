package io.reactivezk.internal.write;

import io.reactivezk.CreateOptions;
import io.reactivezk.NodeException;
import io.reactivezk.internal.codec.ZkPaths;
import io.reactivezk.internal.operation.Calls;
import io.reactivezk.internal.operation.Operations;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
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

    public Writes(Operations operations, Claims claims) {
        this.operations = operations;
        this.claims = claims;
    }

    public Mono<Calls.Created> create(String path, byte[] data, CreateOptions options) {
        CreateMode mode = options.mode();
        boolean retryable = !(mode.isSequential() && !mode.isEphemeral());
        return operations.runAttempts("create", path, retryable, (zk, attempt) -> {
            Mono<Calls.Created> created = createOnce(zk, path, data, options, PARENT_ATTEMPTS);
            if (retryable) {
                created = created.doOnNext(node -> claims.created(node.path(), zk.getSessionId()));
            }
            if (attempt == 0) {
                return created;
            }
            if (mode.isSequential()) {
                return findOwnSequential(zk, path, Optional.of(data)).switchIfEmpty(created);
            }
            return created.onErrorResume(
                    NodeException.NodeExistsException.class,
                    exists -> ownNode(zk, path, data, mode).switchIfEmpty(Mono.error(exists)));
        });
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
     */
    Mono<Calls.Created> findOwnSequential(ZooKeeper zk, String prefix, Optional<byte[]> data) {
        String parent = ZkPaths.parent(prefix);
        String namePrefix = prefix.substring(prefix.lastIndexOf('/') + 1);
        long session = zk.getSessionId();
        return Calls.getChildren(zk, parent)
                .onErrorResume(NodeException.NoNodeException.class, e -> Mono.just(List.of()))
                .flatMapMany(Flux::fromIterable)
                .filter(name ->
                        isSequentialOf(name, namePrefix) && !claims.isClaimed(ZkPaths.child(parent, name), session))
                .concatMap(name -> {
                    String child = ZkPaths.child(parent, name);
                    return Calls.getData(zk, child)
                            .filter(node -> node.stat().getEphemeralOwner() == session
                                    && data.map(d -> Arrays.equals(d, node.data()))
                                            .orElse(true)
                                    && claims.adopt(child, session))
                            .map(node -> new Calls.Created(child, node.stat()))
                            .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty());
                })
                .next();
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
        return operations.runAttempts("setData", path, true, (zk, attempt) -> {
            Mono<Stat> set = Calls.setData(zk, path, data, expectedVersion);
            if (attempt == 0 || expectedVersion < 0) {
                return set;
            }
            return set.onErrorResume(
                    NodeException.BadVersionException.class,
                    conflict -> Calls.getData(zk, path)
                            .filter(node ->
                                    node.stat().getVersion() == expectedVersion + 1 && Arrays.equals(node.data(), data))
                            .map(Calls.NodeData::stat)
                            .switchIfEmpty(Mono.error(conflict)));
        });
    }

    public Mono<Void> delete(String path, int expectedVersion) {
        return operations.run(
                "delete",
                path,
                true,
                zk -> Calls.delete(zk, path, expectedVersion)
                        .onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty())
                        .doOnSuccess(done -> claims.release(path)));
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
