package io.reactivezk.internal;

import io.reactivezk.Advertisement;
import io.reactivezk.ChildrenSnapshot;
import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.CreateOptions;
import io.reactivezk.DataValue;
import io.reactivezk.NodeException;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.Transaction;
import io.reactivezk.TreeEvent;
import io.reactivezk.UndecodableData;
import io.reactivezk.ZooKeeperCall;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
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
        this.session = new Session(name, spec, options, lifecycle);
        this.operations = new Operations(session, options);
        this.payloads = new Payloads(json.mapper(), options);
        this.writes = new Writes(operations, new Claims());
        this.watches = new Watches(name, spec.rootPath(), session, json, options.publishOn());
        this.advertisements =
                new Advertisements(name, session, payloads, writes, watches, options.acl(), this::relative);
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
        return operations.run("getChildren", absolute, true, zk -> missingAsEmpty(Calls.getChildren(zk, absolute)));
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
        return operations.run(
                "getData",
                absolute,
                true,
                zk -> missingAsEmpty(Calls.getData(zk, absolute).map(Calls.NodeData::data)));
    }

    @Override
    public Mono<Stat> exists(String path) {
        String absolute = resolvePath(path);
        return operations.run("exists", absolute, true, zk -> Calls.exists(zk, absolute));
    }

    private static <T> Mono<T> missingAsEmpty(Mono<T> read) {
        return read.onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty());
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
        return writes.create(absolute, bytes, options).map(created -> relative(created.path()));
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
        return new DefaultTransaction(this::resolvePath, payloads, operations);
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
    public Mono<Void> close() {
        return Mono.fromRunnable(advertisements::close).then(session.close()).doOnTerminate(onClosed);
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
