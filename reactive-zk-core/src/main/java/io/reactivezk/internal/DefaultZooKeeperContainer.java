package io.reactivezk.internal;

import io.reactivezk.Advertisement;
import io.reactivezk.ChildrenSnapshot;
import io.reactivezk.ClientClosedException;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionLossException;
import io.reactivezk.ConnectionState;
import io.reactivezk.CreateOptions;
import io.reactivezk.DataValue;
import io.reactivezk.EnsembleConfig;
import io.reactivezk.Identity;
import io.reactivezk.NodeException;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.OperationTimeoutException;
import io.reactivezk.Transaction;
import io.reactivezk.TreeEvent;
import io.reactivezk.UndecodableData;
import io.reactivezk.Versioned;
import io.reactivezk.ZooKeeperCall;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperSpec;
import io.reactivezk.internal.codec.Errors;
import io.reactivezk.internal.codec.Json;
import io.reactivezk.internal.codec.Payloads;
import io.reactivezk.internal.codec.ZkPaths;
import io.reactivezk.internal.operation.Calls;
import io.reactivezk.internal.operation.Operations;
import io.reactivezk.internal.session.Session;
import io.reactivezk.internal.watch.ConfigWatch;
import io.reactivezk.internal.watch.Watches;
import io.reactivezk.internal.write.Advertisements;
import io.reactivezk.internal.write.Claims;
import io.reactivezk.internal.write.DefaultTransaction;
import io.reactivezk.internal.write.Writes;
import io.reactivezk.metrics.ContainerGauges;
import io.reactivezk.metrics.ContainerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/** The container: paths, reads and the blocking fallback on top of a {@link Session}. */
public final class DefaultZooKeeperContainer implements ZooKeeperContainer {

    private static final Logger log = LoggerFactory.getLogger(DefaultZooKeeperContainer.class);

    private final String name;
    private final ZooKeeperSpec spec;
    private final ZooKeeperOptions options;
    private final Scheduler blocking;
    private final Json json;
    private final Session session;
    private final Operations operations;
    private final Payloads payloads;
    private final Writes writes;
    private final Advertisements advertisements;
    private final Runnable onClosed;
    private final Watches watches;
    private final Flux<EnsembleConfig> configs;
    private final ContainerMetrics metrics;

    /** Counts connection losses and session expiries for {@link #metrics}; disposed on close. */
    private final Disposable metricsEvents;

    /** {@link #relative(String)} as a function, made once: creates name their result with it. */
    private final UnaryOperator<String> relativize = this::relative;

    /** How many times {@link #update} reads and writes before it gives up on BADVERSION. */
    private static final int UPDATE_ATTEMPTS = 10;

    private static final Duration UPDATE_MIN_BACKOFF = Duration.ofMillis(5);
    private static final Duration UPDATE_MAX_BACKOFF = Duration.ofMillis(200);

    /** How much longer than the close timeout a blocking close waits: ZooKeeper's close, then the last events. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(5);

    DefaultZooKeeperContainer(
            String name,
            ZooKeeperSpec spec,
            ZooKeeperOptions options,
            Scheduler blocking,
            Scheduler lifecycle,
            Json json,
            Runnable onClosed) {
        this.name = name;
        this.spec = spec;
        this.options = options;
        this.blocking = blocking;
        this.json = json;
        this.onClosed = onClosed;
        this.session = new Session(name, spec, options, lifecycle, onClosed);
        this.metrics = options.metrics().container(name, new ContainerGauges() {
            @Override
            public ConnectionState state() {
                return session.current().state();
            }

            @Override
            public int serverWatches() {
                return watches.serverWatchCount();
            }

            @Override
            public int watchSubscribers() {
                return watches.subscriberCount();
            }
        });
        this.operations = new Operations(session, options, metrics);
        this.payloads = new Payloads(json.mapper(), options);
        this.writes = new Writes(operations, new Claims(), spec.chroot());
        this.watches = new Watches(name, spec.rootPath(), session, json, options.publishOn());
        this.configs = new ConfigWatch(session, operations::published)
                .stream().replay(1).refCount();
        this.advertisements = new Advertisements(
                name, session, payloads, writes, watches, options.acl(), this::relative, metrics::readvertisement);
        // Kept in metricsEvents and disposed by closeAsync().
        this.metricsEvents = options.metrics().enabled()
                ? session.events().subscribe(new ConnectionCounter(metrics))
                : Disposables.disposed();
        log.info("{}: connecting to {} with root {}", name, spec.connectString(), spec.rootPath());
        session.start();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ZooKeeperSpec spec() {
        return spec;
    }

    @Override
    public Flux<ConnectionState> states() {
        return connectionEvents().map(ConnectionEvent::state).distinctUntilChanged();
    }

    @Override
    public Flux<ConnectionEvent> connectionEvents() {
        Flux<ConnectionEvent> events = session.events();
        return options.publishOn() == null ? events : events.publishOn(options.publishOn());
    }

    @Override
    public ConnectionEvent connectionEvent() {
        return session.current();
    }

    @Override
    public String resolvePath(String path) {
        Objects.requireNonNull(path, "path must not be null");
        return ZkPaths.resolve(spec.rootPath(), path);
    }

    @Override
    public Mono<List<String>> getChildren(String path) {
        String absolute = resolvePath(path);
        return operations.call("getChildren", absolute, true, Calls.childrenOrEmpty(absolute));
    }

    @Override
    public Mono<JsonNode> getData(String path) {
        String absolute = resolvePath(path);
        return rawData(absolute).map(data -> json.readTree(data, absolute));
    }

    @Override
    public <T> Mono<T> getData(String path, Class<T> type) {
        Objects.requireNonNull(type, "type must not be null");
        String absolute = resolvePath(path);
        return rawData(absolute).handle((data, sink) -> {
            T value = json.read(data, absolute, type);
            if (value != null) {
                sink.next(value);
            }
        });
    }

    @Override
    public Mono<byte[]> getRawData(String path) {
        return rawData(resolvePath(path));
    }

    private Mono<byte[]> rawData(String absolute) {
        return operations.call("getData", absolute, true, Calls.dataOrEmpty(absolute));
    }

    @Override
    public Mono<Stat> exists(String path) {
        String absolute = resolvePath(path);
        return operations.call("exists", absolute, true, Calls.statOrEmpty(absolute));
    }

    @Override
    public Mono<Versioned<byte[]>> getRawDataAndStat(String path) {
        return dataAndStat(resolvePath(path));
    }

    private Mono<Versioned<byte[]>> dataAndStat(String absolute) {
        return read(
                "getData",
                absolute,
                zk -> Calls.getData(zk, absolute).map(node -> new Versioned<>(node.data(), node.stat())));
    }

    @Override
    public Mono<Versioned<JsonNode>> getDataAndStat(String path) {
        String absolute = resolvePath(path);
        return dataAndStat(absolute).map(read -> new Versioned<>(json.readTree(read.value(), absolute), read.stat()));
    }

    @Override
    public <T> Mono<Versioned<T>> getDataAndStat(String path, Class<T> type) {
        Objects.requireNonNull(type, "type must not be null");
        return typedDataAndStat(resolvePath(path), type);
    }

    private <T> Mono<Versioned<T>> typedDataAndStat(String absolute, Class<T> type) {
        return dataAndStat(absolute).handle((read, sink) -> {
            T value = json.read(read.value(), absolute, type);
            if (value != null) {
                sink.next(new Versioned<>(value, read.stat()));
            }
        });
    }

    @Override
    public <T> Mono<Versioned<T>> update(String path, Class<T> type, UnaryOperator<T> change) {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(change, "change must not be null");
        String absolute = resolvePath(path);
        Mono<Versioned<T>> attempt = Mono.defer(() -> typedDataAndStat(absolute, type)
                .switchIfEmpty(Mono.error(() -> new NodeException.NoNodeException(
                        "update " + absolute + ": no such node (or it holds JSON null)", absolute, null)))
                .flatMap(read -> {
                    T changed = change.apply(read.value());
                    if (changed == null) {
                        return Mono.error(new IllegalArgumentException(
                                "update " + absolute + ": the change function returned null"));
                    }
                    byte[] bytes = payloads.encode(changed, absolute);
                    return writes.setData(absolute, bytes, read.version()).map(stat -> new Versioned<>(changed, stat));
                }));
        // A short, jittered pause before each new attempt keeps contending writers from colliding again and again.
        return attempt.retryWhen(Retry.backoff(UPDATE_ATTEMPTS - 1, UPDATE_MIN_BACKOFF)
                .maxBackoff(UPDATE_MAX_BACKOFF)
                .filter(NodeException.BadVersionException.class::isInstance)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    @Override
    public Mono<Versioned<List<String>>> getChildrenAndStat(String path) {
        String absolute = resolvePath(path);
        return read(
                "getChildren",
                absolute,
                zk -> Calls.getChildrenAndStat(zk, absolute)
                        .map(children -> new Versioned<>(children.names(), children.stat())));
    }

    @Override
    public Mono<List<NodeSnapshot>> getDataAll(List<String> paths) {
        Objects.requireNonNull(paths, "paths must not be null");
        List<String> absolute = paths.stream().map(this::resolvePath).toList();
        if (absolute.isEmpty()) {
            return Mono.just(List.of());
        }
        List<Op> ops = absolute.stream().map(Op::getData).toList();
        return operations.run(
                "getDataAll",
                absolute.get(0),
                true,
                zk -> Calls.multiRead(zk, ops).handle((results, sink) -> {
                    List<NodeSnapshot> snapshots = new java.util.ArrayList<>(results.size());
                    for (int i = 0; i < results.size(); i++) {
                        String node = absolute.get(i);
                        OpResult result = results.get(i);
                        if (result instanceof OpResult.GetDataResult read) {
                            byte[] data = read.getData() == null ? new byte[0] : read.getData();
                            snapshots.add(new NodeSnapshot(relative(node), node, data, read.getStat(), false));
                        } else if (result instanceof OpResult.ErrorResult error
                                && error.getErr() == KeeperException.Code.NONODE.intValue()) {
                            snapshots.add(new NodeSnapshot(relative(node), node, null, null, false));
                        } else {
                            int code = result instanceof OpResult.ErrorResult error
                                    ? error.getErr()
                                    : KeeperException.Code.SYSTEMERROR.intValue();
                            sink.error(Errors.of(KeeperException.Code.get(code), "getDataAll", node));
                            return;
                        }
                    }
                    sink.next(List.copyOf(snapshots));
                }));
    }

    @Override
    public Mono<Boolean> isPresent(String path) {
        return exists(path).hasElement();
    }

    @Override
    public Mono<Void> sync(String path) {
        String absolute = resolvePath(path);
        return operations.run("sync", absolute, true, zk -> Calls.sync(zk, absolute));
    }

    @Override
    public Mono<Versioned<List<ACL>>> getACL(String path) {
        String absolute = resolvePath(path);
        return read(
                "getACL",
                absolute,
                zk -> Calls.getACL(zk, absolute).map(acl -> new Versioned<>(acl.acl(), acl.stat())));
    }

    @Override
    public Mono<Stat> setACL(String path, List<ACL> acl, int expectedVersion) {
        String absolute = resolvePath(path);
        List<ACL> checked = CreateOptions.builder().acl(acl).build().acl();
        // Not retried: a retry after a lost reply would meet BADVERSION for a versioned write it made itself.
        return operations.run(
                "setACL", absolute, expectedVersion < 0, zk -> Calls.setACL(zk, absolute, checked, expectedVersion));
    }

    @Override
    public Mono<List<String>> getEphemerals(String prefix) {
        Objects.requireNonNull(prefix, "prefix must not be null");
        // A prefix of names, not only of whole paths: "run/App." finds run/App.0000000001. Resolved as a path after
        // the last '/', then the name part is put back.
        int slash = prefix.lastIndexOf('/');
        String namePart = prefix.substring(slash + 1);
        String parent = resolvePath(slash < 0 ? "" : prefix.substring(0, slash));
        String absolute = namePart.isEmpty() ? parent : ZkPaths.child(parent, namePart);
        return operations.run(
                "getEphemerals",
                absolute,
                true,
                zk -> Calls.getEphemerals(zk, spec.chroot(), absolute)
                        .map(paths -> paths.stream()
                                .filter(node ->
                                        namePart.isEmpty() ? ZkPaths.isWithin(parent, node) : node.startsWith(absolute))
                                .map(this::relative)
                                .toList()));
    }

    @Override
    public Mono<Integer> getAllChildrenNumber(String path) {
        String absolute = resolvePath(path);
        return read("getAllChildrenNumber", absolute, zk -> Calls.getAllChildrenNumber(zk, absolute));
    }

    @Override
    public Mono<List<Identity>> whoAmI() {
        // ZooKeeper has whoAmI only as a synchronous call: it runs on the blocking scheduler.
        return execute(zk -> {
            // ZooKeeper's whoAmI ignores the reply's error code and answers null when the request failed.
            List<ClientInfo> infos = zk.whoAmI();
            if (infos == null) {
                if (zk.getState().isConnected()) {
                    throw new NodeException(
                            "whoAmI: the server does not know this operation (ZooKeeper 3.7 or later is needed)",
                            KeeperException.Code.UNIMPLEMENTED,
                            "/",
                            null);
                }
                throw new ConnectionLossException(
                        "whoAmI: connection to ZooKeeper lost before the reply arrived", null);
            }
            return infos.stream()
                    .map(info -> new Identity(info.getAuthScheme(), info.getUser()))
                    .toList();
        });
    }

    @Override
    public Mono<EnsembleConfig> getConfig() {
        return operations.run("getConfig", ZooDefs.CONFIG_NODE, true, zk -> Calls.getConfig(zk, null));
    }

    @Override
    public Flux<EnsembleConfig> watchConfig() {
        return configs;
    }

    @Override
    public Mono<EnsembleConfig> reconfig(List<String> joining, List<Long> leaving, long fromVersion) {
        Objects.requireNonNull(joining, "joining must not be null");
        Objects.requireNonNull(leaving, "leaving must not be null");
        if (joining.isEmpty() && leaving.isEmpty()) {
            throw new IllegalArgumentException("reconfig: nothing to change (no joining and no leaving server)");
        }
        String joiningText = joining.isEmpty() ? null : serverList(joining);
        String leavingText = leaving.isEmpty()
                ? null
                : String.join(",", leaving.stream().map(id -> serverId(id)).toList());
        return reconfigure(joiningText, leavingText, null, fromVersion);
    }

    @Override
    public Mono<EnsembleConfig> reconfigMembers(List<String> members, long fromVersion) {
        Objects.requireNonNull(members, "members must not be null");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("reconfigMembers: the new membership is empty");
        }
        return reconfigure(null, null, serverList(members), fromVersion);
    }

    private Mono<EnsembleConfig> reconfigure(
            @Nullable String joining, @Nullable String leaving, @Nullable String members, long fromVersion) {
        if (fromVersion < -1) {
            throw new IllegalArgumentException(
                    "reconfig: fromVersion must be a configuration version or -1, not " + fromVersion);
        }
        // Not retried: after a lost connection nobody knows whether the change was applied; read getConfig().
        return operations.run(
                "reconfig",
                ZooDefs.CONFIG_NODE,
                false,
                zk -> Calls.reconfig(zk, joining, leaving, members, fromVersion));
    }

    /** {@code server.N=...} lines as ZooKeeper's comma-separated list, each checked. */
    private static String serverList(List<String> servers) {
        for (String server : servers) {
            Objects.requireNonNull(server, "a server line must not be null");
            if (!server.strip().startsWith("server.") || !server.contains("=") || server.contains(",")) {
                throw new IllegalArgumentException("reconfig: '" + server
                        + "' is not one server line of the form server.N=host:quorumPort:electionPort[:role];"
                        + "[clientHost:]clientPort");
            }
        }
        return String.join(",", servers.stream().map(String::strip).toList());
    }

    private static String serverId(@Nullable Long id) {
        Objects.requireNonNull(id, "a leaving server id must not be null");
        if (id < 0) {
            throw new IllegalArgumentException("reconfig: a server id is not negative, got " + id);
        }
        return Long.toString(id);
    }

    /** A read of one node, retried after a connection loss, that completes empty when the node is missing. */
    private <T> Mono<T> read(String operation, String absolute, Function<ZooKeeper, Mono<T>> call) {
        return operations.run(
                operation,
                absolute,
                true,
                zk -> call.apply(zk).onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty()));
    }

    /** The container-relative form of an absolute path below the root. */
    private String relative(String absolute) {
        return ZkPaths.relativize(spec.rootPath(), absolute);
    }

    @Override
    public Mono<String> create(String path, Object data, CreateOptions options) {
        Objects.requireNonNull(options, "options must not be null");
        String absolute = resolvePath(path);
        byte[] bytes = payloads.encode(data, absolute);
        return writes.create(absolute, bytes, options, relativize);
    }

    @Override
    public Mono<Stat> setData(String path, Object data, int expectedVersion) {
        String absolute = resolvePath(path);
        return writes.setData(absolute, payloads.encode(data, absolute), expectedVersion);
    }

    @Override
    public Mono<Void> delete(String path, int expectedVersion) {
        return writes.delete(resolvePath(path), expectedVersion);
    }

    @Override
    public Mono<Void> deleteRecursive(String path) {
        return writes.deleteRecursive(resolvePath(path));
    }

    @Override
    public Mono<Stat> upsert(String path, Object data) {
        String absolute = resolvePath(path);
        return writes.upsert(absolute, payloads.encode(data, absolute), CreateOptions.persistent());
    }

    @Override
    public Mono<Void> ensurePath(String path) {
        return writes.ensurePath(resolvePath(path), CreateOptions.persistent());
    }

    @Override
    public Transaction transaction() {
        return new DefaultTransaction(this::resolvePath, this::relative, payloads, operations);
    }

    @Override
    public Mono<Advertisement> advertise(Object data, String path) {
        String prefix = resolvePath(path);
        if (prefix.equals(spec.rootPath())) {
            throw new IllegalArgumentException(
                    "advertise needs a node name prefix below the root, such as " + "\"run/App.\": " + path);
        }
        byte[] bytes = payloads.encodeAdvertisement(data, prefix);
        return operations.published(advertisements.advertise(prefix, bytes));
    }

    @Override
    public Optional<Advertisement> advertisement(String path) {
        return advertisements.find(resolvePath(path));
    }

    @Override
    public <T> Mono<T> execute(ZooKeeperCall<T> call) {
        Objects.requireNonNull(call, "call must not be null");
        Mono<T> result = operations.connected("execute").publishOn(blocking).handle((zk, sink) -> {
            try {
                T value = call.call(zk);
                if (value != null) {
                    sink.next(value);
                }
            } catch (KeeperException e) {
                sink.error(Errors.of(e, "execute"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sink.error(e);
            } catch (Exception e) {
                sink.error(e);
            }
        });
        return operations.published(result);
    }

    @Override
    public ZooKeeper zooKeeper() {
        if (session.isClosed()) {
            throw new IllegalStateException("ZooKeeper container '" + name + "' is closed");
        }
        @Nullable ZooKeeper zk = session.zooKeeper();
        if (zk == null) {
            throw new IllegalStateException("ZooKeeper container '" + name
                    + "' has no session handle yet; wait for states() to emit CONNECTED");
        }
        return zk;
    }

    @Override
    public Mono<ConnectionEvent> connected(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return session.connectedEvent()
                .timeout(
                        timeout,
                        Mono.error(() -> new OperationTimeoutException(
                                "connected: no connection within " + timeout + "; the container is "
                                        + session.current().state(),
                                timeout)));
    }

    @Override
    public Mono<Void> closeAsync() {
        advertisements.close();
        return session.closeNow().doOnTerminate(() -> {
            metricsEvents.dispose();
            metrics.close();
        });
    }

    /** Turns connection events into {@link ContainerMetrics#connectionLoss()} and {@code sessionExpiry()}. */
    private static final class ConnectionCounter implements java.util.function.Consumer<ConnectionEvent> {
        private final ContainerMetrics metrics;
        private ConnectionState last = ConnectionState.LOST;
        private long epoch;

        ConnectionCounter(ContainerMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void accept(ConnectionEvent event) {
            if (last == ConnectionState.CONNECTED && event.state() != ConnectionState.CONNECTED) {
                metrics.connectionLoss();
            }
            if (event.state() == ConnectionState.CONNECTED) {
                if (epoch > 0 && event.epoch() > epoch) {
                    metrics.sessionExpiry();
                }
                epoch = event.epoch();
            }
            last = event.state();
        }
    }

    @Override
    public void close() {
        Duration bound = options.closeTimeout().plus(CLOSE_MARGIN);
        // Waiting is this method's contract: the one blocking call of the container (Reactor refuses it on its
        // non-blocking threads).
        closeAsync()
                .timeout(
                        bound,
                        Mono.error(() -> new IllegalStateException(name + ": close did not finish within " + bound)))
                .block();
    }

    /** The operation runner, for the write, advertise and watch parts of the container. */
    Operations operations() {
        return operations;
    }

    /** The session machine, for the parts of the container that follow sessions. */
    Session session() {
        return session;
    }

    @Override
    public String toString() {
        return "ZooKeeperContainer[" + name + ", " + spec.connectString() + ", root " + spec.rootPath() + ", "
                + session.current().state() + "]";
    }

    // ---- watches ----

    @Override
    public Flux<NodeSnapshot> watchData(String path) {
        return watches.data(resolvePath(path));
    }

    @Override
    public Mono<WatchedEvent> nextChange(String path) {
        String absolute = resolvePath(path);
        String relative = relative(absolute);
        return watches.data(absolute)
                .take(2)
                .collectList()
                .flatMap(seen -> seen.size() < 2
                        ? Mono.error(new ClientClosedException(
                                "nextChange " + absolute + ": the container closed before the node changed"))
                        : Mono.just(new WatchedEvent(
                                change(seen.get(0), seen.get(1)), KeeperState.SyncConnected, relative)));
    }

    /** What turned one snapshot of a node into the next. */
    private static EventType change(NodeSnapshot before, NodeSnapshot after) {
        if (!after.exists()) {
            return EventType.NodeDeleted;
        }
        if (!before.exists() || before.stat().getCzxid() != after.stat().getCzxid()) {
            return EventType.NodeCreated;
        }
        return EventType.NodeDataChanged;
    }

    @Override
    public <T> Flux<DataValue<T>> watchData(String path, Class<T> type, UndecodableData undecodable) {
        String absolute = resolvePath(path);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(undecodable, "undecodable must not be null");
        return watches.data(absolute, type, undecodable);
    }

    @Override
    public Flux<ChildrenSnapshot> watchChildren(String path) {
        return watches.children(resolvePath(path));
    }

    @Override
    public Flux<TreeEvent> watchTree(String path, int bufferSize) {
        String absolute = resolvePath(path);
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
        }
        return watches.tree(absolute, bufferSize);
    }
}
