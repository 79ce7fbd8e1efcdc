package io.reactivezk.internal.operation;

import io.reactivezk.EnsembleConfig;
import io.reactivezk.NodeException;
import io.reactivezk.ZooKeeperClientException;
import io.reactivezk.internal.codec.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.AsyncCallback.ChildrenCallback;
import org.apache.zookeeper.AsyncCallback.DataCallback;
import org.apache.zookeeper.AsyncCallback.StatCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * ZooKeeper's asynchronous calls on one handle as cold {@code Mono}s: the call is issued at subscription, the callback
 * (on the handle's event thread) completes the {@code Mono}, and a failure becomes the matching exception from
 * {@link Errors}. No waiting for a connection, no retries, no timeout: {@link Operations} adds those.
 */
public final class Calls {

    private Calls() {}

    /** A node's data and metadata. */
    public record NodeData(byte[] data, Stat stat) {}

    /** A created node's actual path (with its sequence number) and metadata. */
    public record Created(String path, Stat stat) {}

    public static Mono<NodeData> getData(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.getData(
                path,
                false,
                (rc, p, ctx, data, stat) -> {
                    if (ok(rc, sink, "getData", path)) {
                        sink.success(new NodeData(data == null ? new byte[0] : data, stat));
                    }
                },
                null));
    }

    public static Mono<List<String>> getChildren(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.getChildren(
                path,
                false,
                (rc, p, ctx, children) -> {
                    if (ok(rc, sink, "getChildren", path)) {
                        sink.success(sorted(children));
                    }
                },
                null));
    }

    /** A node's sorted child names and its own metadata. */
    public record Children(List<String> names, Stat stat) {}

    public static Mono<Children> getChildrenAndStat(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.getChildren(
                path,
                false,
                (rc, p, ctx, children, stat) -> {
                    if (ok(rc, sink, "getChildren", path)) {
                        sink.success(new Children(sorted(children), stat));
                    }
                },
                null));
    }

    /** A node's ACL and metadata. */
    public record Acl(List<ACL> acl, Stat stat) {}

    public static Mono<Acl> getACL(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.getACL(
                path,
                new Stat(),
                (rc, p, ctx, acl, stat) -> {
                    if (ok(rc, sink, "getACL", path)) {
                        sink.success(new Acl(List.copyOf(acl), stat));
                    }
                },
                null));
    }

    public static Mono<Stat> setACL(ZooKeeper zk, String path, List<ACL> acl, int version) {
        return Mono.create(sink -> zk.setACL(
                path,
                acl,
                version,
                (rc, p, ctx, stat) -> {
                    if (rc == Code.OK.intValue()) {
                        sink.success(stat);
                    } else {
                        sink.error(Errors.of(Code.get(rc), "setACL", path, version));
                    }
                },
                null));
    }

    public static Mono<Void> sync(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.sync(
                path,
                (rc, p, ctx) -> {
                    if (ok(rc, sink, "sync", path)) {
                        sink.success();
                    }
                },
                null));
    }

    /**
     * The absolute paths of this session's ephemeral nodes that start with {@code prefix}, sorted. ZooKeeper's
     * asynchronous {@code getEphemerals} takes and gives paths on the server, without the connect string's chroot:
     * this puts {@code chroot} in front of the prefix and takes it off the answer, so both are client paths.
     */
    public static Mono<List<String>> getEphemerals(ZooKeeper zk, String chroot, String prefix) {
        return Mono.create(sink -> zk.getEphemerals(
                chroot + prefix,
                (rc, ctx, paths) -> {
                    if (rc == Code.UNIMPLEMENTED.intValue()) {
                        sink.error(unimplemented("getEphemerals", prefix));
                    } else if (ok(rc, sink, "getEphemerals", prefix)) {
                        List<String> own = sorted(paths);
                        sink.success(
                                chroot.isEmpty()
                                        ? own
                                        : own.stream()
                                                .map(server -> server.substring(chroot.length()))
                                                .toList());
                    }
                },
                null));
    }

    public static Mono<Integer> getAllChildrenNumber(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.getAllChildrenNumber(
                path,
                (rc, p, ctx, number) -> {
                    if (rc == Code.UNIMPLEMENTED.intValue()) {
                        sink.error(unimplemented("getAllChildrenNumber", path));
                    } else if (ok(rc, sink, "getAllChildrenNumber", path)) {
                        sink.success(number);
                    }
                },
                null));
    }

    /** The ensemble configuration; {@code watcher}, if given, is left on {@code /zookeeper/config}. */
    public static Mono<EnsembleConfig> getConfig(ZooKeeper zk, @Nullable Watcher watcher) {
        return Mono.create(sink -> zk.getConfig(
                watcher,
                (rc, p, ctx, data, stat) -> {
                    if (ok(rc, sink, "getConfig", ZooDefs.CONFIG_NODE)) {
                        config(sink, data);
                    }
                },
                null));
    }

    /**
     * A dynamic reconfiguration through the admin handle: incremental ({@code joining} and {@code leaving}) or
     * non-incremental ({@code members}); the others are null. Completes with the new configuration.
     */
    public static Mono<EnsembleConfig> reconfig(
            ZooKeeper zk,
            @Nullable String joining,
            @Nullable String leaving,
            @Nullable String members,
            long fromVersion) {
        ZooKeeperAdmin admin = (ZooKeeperAdmin) zk;
        return Mono.create(sink -> admin.reconfigure(
                joining,
                leaving,
                members,
                fromVersion,
                (rc, p, ctx, data, stat) -> {
                    if (rc == Code.OK.intValue()) {
                        config(sink, data);
                    } else {
                        sink.error(reconfigFailure(Code.get(rc), fromVersion));
                    }
                },
                null));
    }

    private static void config(MonoSink<EnsembleConfig> sink, byte @Nullable [] data) {
        try {
            sink.success(EnsembleConfig.parse(data == null ? "" : new String(data, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            sink.error(e);
        }
    }

    /** The reasons a server refuses a reconfiguration, in words; the server sends only the code. */
    private static ZooKeeperClientException reconfigFailure(Code code, long fromVersion) {
        String path = ZooDefs.CONFIG_NODE;
        String reason = switch (code) {
            case RECONFIGDISABLED -> "dynamic reconfiguration is disabled on the server (reconfigEnabled=false)";
            case UNIMPLEMENTED -> "the server runs standalone; only an ensemble can be reconfigured";
            case RECONFIGINPROGRESS -> "another reconfiguration is in progress; try again when it is done";
            case NEWCONFIGNOQUORUM -> "no quorum of the new configuration is connected and in sync with the leader";
            case BADARGUMENTS ->
                "the server refused the server list (wrong format, a duplicate address, or too few voters)";
            case NOAUTH -> "not allowed: reconfig needs the super user or WRITE on /zookeeper/config";
            default -> null;
        };
        if (code == Code.BADVERSION) {
            return new NodeException.BadVersionException(
                    "reconfig: the configuration is no longer at version " + Long.toHexString(fromVersion),
                    path,
                    -1,
                    null);
        }
        if (reason == null) {
            return Errors.of(code, "reconfig", path);
        }
        return new NodeException("reconfig: " + reason + " (" + code + ")", code, path, null);
    }

    // ---- requests for the fast path (Operations.call): shared callbacks, the Reply as the context ----

    private static final byte[] NO_DATA = new byte[0];

    @SuppressWarnings("unchecked")
    private static <T> Reply<T> reply(Object ctx) {
        return (Reply<T>) ctx;
    }

    private static final DataCallback DATA_OR_EMPTY = (rc, path, ctx, data, stat) -> {
        if (rc == Code.OK.intValue()) {
            Calls.<byte[]>reply(ctx).success(data == null ? NO_DATA : data);
        } else if (rc == Code.NONODE.intValue()) {
            reply(ctx).success(null);
        } else {
            reply(ctx).failure(Errors.of(Code.get(rc), "getData", path));
        }
    };

    private static final ChildrenCallback CHILDREN_OR_EMPTY = (rc, path, ctx, children) -> {
        if (rc == Code.OK.intValue()) {
            Calls.<List<String>>reply(ctx).success(sorted(children));
        } else if (rc == Code.NONODE.intValue()) {
            reply(ctx).success(null);
        } else {
            reply(ctx).failure(Errors.of(Code.get(rc), "getChildren", path));
        }
    };

    private static final StatCallback STAT_OR_EMPTY = (rc, path, ctx, stat) -> {
        if (rc == Code.OK.intValue()) {
            Calls.<Stat>reply(ctx).success(stat);
        } else if (rc == Code.NONODE.intValue()) {
            reply(ctx).success(null);
        } else {
            reply(ctx).failure(Errors.of(Code.get(rc), "exists", path));
        }
    };

    /** A node's data, or nothing if it does not exist. */
    public static Call<byte[]> dataOrEmpty(String path) {
        return (zk, reply) -> zk.getData(path, false, DATA_OR_EMPTY, reply);
    }

    /** A node's sorted child names, or nothing if it does not exist. */
    public static Call<List<String>> childrenOrEmpty(String path) {
        return (zk, reply) -> zk.getChildren(path, false, CHILDREN_OR_EMPTY, reply);
    }

    /** A node's {@link Stat}, or nothing if it does not exist. */
    public static Call<Stat> statOrEmpty(String path) {
        return (zk, reply) -> zk.exists(path, false, STAT_OR_EMPTY, reply);
    }

    /** A call as a cold {@code Mono} on one handle: issued at subscription, completed by the reply. */
    public static <T> Mono<T> mono(ZooKeeper zk, Call<T> call) {
        return Mono.create(sink -> call.issue(zk, new Reply<T>() {
            @Override
            public void success(@Nullable T value) {
                if (value == null) {
                    sink.success();
                } else {
                    sink.success(value);
                }
            }

            @Override
            public void failure(ZooKeeperClientException error) {
                sink.error(error);
            }

            @Override
            public void again() {
                sink.error(new IllegalStateException("a request of the general path answered 'again'"));
            }

            @Override
            public long sessionId() {
                return zk.getSessionId();
            }
        }));
    }

    /** An operation the server does not know: it is older than ZooKeeper 3.6. */
    private static NodeException unimplemented(String operation, String path) {
        return new NodeException(
                operation + " " + path + ": the server does not know this operation (ZooKeeper 3.6 or later is needed)",
                Code.UNIMPLEMENTED,
                path,
                null);
    }

    /** ZooKeeper's child names (in no particular order, possibly null) as a sorted, unmodifiable list. */
    public static List<String> sorted(@Nullable List<String> children) {
        if (children == null || children.isEmpty()) {
            return List.of();
        }
        List<String> sorted = new ArrayList<>(children);
        Collections.sort(sorted);
        return List.copyOf(sorted);
    }

    /** Completes with the node's {@link Stat}, or empty when it does not exist. */
    public static Mono<Stat> exists(ZooKeeper zk, String path) {
        return Mono.create(sink -> zk.exists(
                path,
                false,
                (rc, p, ctx, stat) -> {
                    if (rc == Code.NONODE.intValue()) {
                        sink.success();
                    } else if (ok(rc, sink, "exists", path)) {
                        sink.success(stat);
                    }
                },
                null));
    }

    public static Mono<Created> create(
            ZooKeeper zk, String path, byte[] data, List<ACL> acl, CreateMode mode, long ttl) {
        return Mono.create(sink -> zk.create(
                path,
                data,
                acl,
                mode,
                (rc, p, ctx, name, stat) -> {
                    if (rc == Code.OK.intValue()) {
                        sink.success(new Created(name, stat));
                    } else {
                        sink.error(createFailure(Code.get(rc), path, mode));
                    }
                },
                null,
                ttl));
    }

    /** Why a create failed; a TTL create on a server without extended types says what the server needs. */
    public static ZooKeeperClientException createFailure(Code code, String path, CreateMode mode) {
        if (mode.isTTL() && code == Code.UNIMPLEMENTED) {
            return new NodeException(
                    "create " + path + " with a TTL: the server does not accept TTL nodes (they need"
                            + " zookeeper.extendedTypesEnabled=true on every server)",
                    Code.UNIMPLEMENTED,
                    path,
                    null);
        }
        return Errors.of(code, "create", path);
    }

    public static Mono<Stat> setData(ZooKeeper zk, String path, byte[] data, int version) {
        return Mono.create(sink -> zk.setData(
                path,
                data,
                version,
                (rc, p, ctx, stat) -> {
                    if (rc == Code.OK.intValue()) {
                        sink.success(stat);
                    } else {
                        sink.error(Errors.of(Code.get(rc), "setData", path, version));
                    }
                },
                null));
    }

    public static Mono<Void> delete(ZooKeeper zk, String path, int version) {
        return Mono.create(sink -> zk.delete(
                path,
                version,
                (rc, p, ctx) -> {
                    if (rc == Code.OK.intValue()) {
                        sink.success();
                    } else {
                        sink.error(Errors.of(Code.get(rc), "delete", path, version));
                    }
                },
                null));
    }

    /** Completes with every op's result on success; on failure, fails naming the first op that failed. */
    public static Mono<List<OpResult>> multi(ZooKeeper zk, List<Op> ops, List<Integer> expectedVersions) {
        return Mono.create(sink -> zk.multi(
                ops,
                (rc, p, ctx, results) -> {
                    if (rc == Code.OK.intValue()) {
                        sink.success(List.copyOf(results));
                        return;
                    }
                    sink.error(Transactions.failure(Code.get(rc), ops, results, expectedVersions));
                },
                null));
    }

    /** A read {@code multi}: one result per op, an {@code ErrorResult} for each op that failed. */
    public static Mono<List<OpResult>> multiRead(ZooKeeper zk, List<Op> reads) {
        String first = reads.get(0).getPath();
        return Mono.create(sink -> zk.multi(
                reads,
                (rc, p, ctx, results) -> {
                    if (rc == Code.UNIMPLEMENTED.intValue()) {
                        sink.error(unimplemented("getDataAll (read multi)", first));
                    } else if (results != null && results.size() == reads.size()) {
                        // Each read stands alone: the server reports the first failure as the result code too, and
                        // every failure as that op's ErrorResult.
                        sink.success(List.copyOf(results));
                    } else if (ok(rc, sink, "getDataAll", first)) {
                        sink.error(new IllegalStateException("getDataAll " + first + ": no result per read"));
                    }
                },
                null));
    }

    private static boolean ok(int rc, MonoSink<?> sink, String operation, String path) {
        if (rc == Code.OK.intValue()) {
            return true;
        }
        sink.error(Errors.of(Code.get(rc), operation, path));
        return false;
    }
}
