package io.reactivezk.recipe;

import io.reactivezk.ConnectionEvent;
import io.reactivezk.ConnectionState;
import io.reactivezk.CreateOptions;
import io.reactivezk.NodeException;
import io.reactivezk.NodeSnapshot;
import io.reactivezk.ZooKeeperContainer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Leader election per scope, as a stream of {@link Leadership} views whose cancellation withdraws the candidate.
 *
 * <p><b>ASAB's layout</b> ({@link #join(String, byte[])}): the leader is whoever holds the ephemeral node
 * {@code <root>/election/<scope>}, as in ASAB's {@code asab.zookeeper.LeaderService}, so Java and ASAB candidates on
 * the same scope and root elect one leader between them. Every candidate watches that one node, so each change wakes
 * them all: fine for the handful of instances of a service. <b>Herd-free</b> ({@link #joinQueue(String, byte[])}):
 * each candidate holds an ephemeral sequential node under {@code <root>/election-queue/<scope>/} and watches only its
 * predecessor, so a change wakes one candidate: for large groups; ASAB candidates do not take part.
 *
 * <p>Beyond ASAB: a candidate whose connection drops emits {@link Leadership.Role#UNKNOWN} at once (ASAB keeps
 * claiming leadership while SUSPENDED); a new session re-joins by itself; leadership is decided by the server's view
 * (the node's {@code ephemeralOwner} is this session), never by a client-side flag; and a leader's writes can be
 * fenced ({@link Leadership#guard}). In ASAB's layout the fence is two checks: the election node at version 1 (the
 * leader rewrites its data once on winning, which ASAB does not, so a node recreated by anyone else is at version
 * 0) and {@code <root>/election-fence/<scope>} at the version the leader's win left it (every reactive-zk leader
 * bumps it), so a write of a deposed leader fails whoever leads next.
 *
 * <p>Signals arrive as the container's watch signals do (ZooKeeper's event thread unless the options name a
 * scheduler). The stream ends when the container closes.
 */
public final class LeaderElection {

    private final ZooKeeperContainer zk;

    private LeaderElection(ZooKeeperContainer zk) {
        this.zk = zk;
    }

    /**
     * Elections among candidates under a container's root.
     *
     * @param zk the container
     * @return the elections
     */
    public static LeaderElection of(ZooKeeperContainer zk) {
        return new LeaderElection(Objects.requireNonNull(zk, "container must not be null"));
    }

    /**
     * ASAB's candidate data: {@code instance_id: ...}, {@code service_id: ...}, {@code node_id: ...} lines for the
     * ids that are given, as ASAB's {@code LeaderService} writes them from its environment.
     *
     * @param instanceId the instance id, or {@code null}
     * @param serviceId the service id, or {@code null}
     * @param nodeId the node id, or {@code null}
     * @return the data, UTF-8
     */
    public static byte[] asabCandidateData(
            @Nullable String instanceId, @Nullable String serviceId, @Nullable String nodeId) {
        StringBuilder text = new StringBuilder();
        if (instanceId != null) {
            text.append("instance_id: ").append(instanceId).append('\n');
        }
        if (serviceId != null) {
            text.append("service_id: ").append(serviceId).append('\n');
        }
        if (nodeId != null) {
            text.append("node_id: ").append(nodeId).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Joins an election in ASAB's layout. The stream emits a view whenever it changes: {@code UNKNOWN} until the
     * first decision and whenever the connection is down, {@code LEADER} once this candidate holds the election node
     * (as the server confirms), {@code FOLLOWER} with the leader's data otherwise. Cancelling deletes the election
     * node if this candidate holds it, at once rather than after the session timeout.
     *
     * @param scope the election's scope: a non-empty name without {@code /}, as in ASAB
     * @param candidateData the data the election node holds while this candidate leads (see
     *     {@link #asabCandidateData})
     * @return a cold stream: each subscription is one candidate
     * @throws IllegalArgumentException if the scope is not a valid name
     */
    public Flux<Leadership> join(String scope, byte[] candidateData) {
        return candidate(scope, candidateData, SingleNodeCandidate::new);
    }

    /**
     * Joins a herd-free election: this candidate queues with an ephemeral sequential node and leads when its node is
     * the first; it watches only the node before its own. A follower's {@link Leadership#leaderData()} is the
     * leader's when the follower last looked (a follower is told when its predecessor goes, not when the leader
     * changes further ahead). Cancelling deletes this candidate's node at once.
     *
     * @param scope the election's scope: a non-empty name without {@code /}
     * @param candidateData the data of this candidate's node
     * @return a cold stream: each subscription is one candidate
     * @throws IllegalArgumentException if the scope is not a valid name
     */
    public Flux<Leadership> joinQueue(String scope, byte[] candidateData) {
        return candidate(scope, candidateData, QueuedCandidate::new);
    }

    /** One candidate per subscription; its cleanup runs however the stream ends. */
    private Flux<Leadership> candidate(String scope, byte[] candidateData, BiFunction<String, byte[], Candidate> kind) {
        Objects.requireNonNull(scope, "scope must not be null");
        if (scope.isEmpty() || scope.contains("/")) {
            throw new IllegalArgumentException("scope must be a non-empty name without '/': '" + scope + "'");
        }
        byte[] data = Objects.requireNonNull(candidateData, "candidateData must not be null")
                .clone();
        return Flux.usingWhen(
                Mono.fromSupplier(() -> kind.apply(scope, data)),
                Candidate::run,
                Candidate::withdraw,
                (candidate, error) -> candidate.withdraw(),
                Candidate::withdraw);
    }

    /** A candidate: its stream of views, and the cleanup that withdraws it. */
    private interface Candidate {
        Flux<Leadership> run();

        Mono<Void> withdraw();
    }

    private boolean usable(ConnectionEvent event) {
        return event.state() == ConnectionState.CONNECTED && !event.readOnly();
    }

    /** A candidate in ASAB's layout. Its fields are touched only inside its serialised ({@code switchMap}) chain. */
    private final class SingleNodeCandidate implements Candidate {

        private final String scope;
        private final String node;
        private final String fenceNode;
        private final byte[] data;
        private final InFlight creates = new InFlight();

        SingleNodeCandidate(String scope, byte[] data) {
            this.scope = scope;
            this.node = "election/" + scope;
            this.fenceNode = "election-fence/" + scope;
            this.data = data;
        }

        @Override
        public Flux<Leadership> run() {
            Flux<Object> triggers = Flux.merge(zk.connectionEvents(), zk.watchData(node));
            return Flux.concat(Mono.just(Leadership.unknown(scope)), triggers.switchMap(this::onTrigger))
                    .distinctUntilChanged();
        }

        private Mono<Leadership> onTrigger(Object trigger) {
            ConnectionEvent now = zk.connectionEvent();
            if (!usable(now)) {
                return Mono.just(Leadership.unknown(scope));
            }
            if (trigger instanceof NodeSnapshot snapshot) {
                return decide(snapshot.exists(), snapshot.data(), snapshot.stat(), now.sessionId(), true);
            }
            return read(now.sessionId(), true);
        }

        private Mono<Leadership> read(long session, boolean mayCreate) {
            return zk.getRawDataAndStat(node)
                    .map(v -> decide(true, v.value(), v.stat(), session, mayCreate))
                    .defaultIfEmpty(Mono.defer(() -> decide(false, null, null, session, mayCreate)))
                    .flatMap(next -> next);
        }

        private Mono<Leadership> decide(
                boolean exists, byte @Nullable [] leaderData, @Nullable Stat stat, long session, boolean mayCreate) {
            if (!exists || stat == null) {
                if (!mayCreate) {
                    return Mono.just(follower(null, session));
                }
                return creates.run(zk.create(
                                node,
                                data,
                                CreateOptions.of(CreateMode.EPHEMERAL).withParents()))
                        .then(read(session, false))
                        .onErrorResume(NodeException.NodeExistsException.class, e -> read(session, false));
            }
            if (stat.getEphemeralOwner() != session) {
                return Mono.just(follower(leaderData, session));
            }
            return stat.getVersion() == 0 ? claim(stat, session) : recoverFence(stat, session);
        }

        /**
         * Wins the election node: rewrites its data once (to version 1, which no other candidate's node has when
         * created) and records its czxid in the fence node, in one transaction. The fence node's new version then
         * tells this leadership from every later one.
         */
        private Mono<Leadership> claim(Stat stat, long session) {
            return zk.ensurePath(fenceNode)
                    .then(zk.transaction()
                            .setData(node, data, 0)
                            .setData(fenceNode, Long.toHexString(stat.getCzxid()), -1)
                            .commit())
                    .map(results -> leader(
                            stat.getCzxid(),
                            1,
                            session,
                            ((OpResult.SetDataResult) results.get(1)).getStat().getVersion()))
                    .onErrorResume(NodeException.class, e -> read(session, true));
        }

        /**
         * The fence of a node this session already claimed (after a reconnection, or when the claim's reply was
         * cut off), read back from the server: the fence node names the czxid it was last claimed for.
         */
        private Mono<Leadership> recoverFence(Stat stat, long session) {
            return zk.getRawDataAndStat(fenceNode)
                    .filter(fence ->
                            new String(fence.value(), StandardCharsets.UTF_8).equals(Long.toHexString(stat.getCzxid())))
                    .map(fence -> leader(
                            stat.getCzxid(),
                            stat.getVersion(),
                            session,
                            fence.stat().getVersion()))
                    // Not claimed by this node (someone rewrote it before the claim): start again with a new node.
                    .switchIfEmpty(Mono.defer(() -> zk.delete(node, stat.getVersion())
                            .onErrorResume(NodeException.class, e -> Mono.empty())
                            .then(read(session, true))));
        }

        private Leadership leader(long czxid, int nodeVersion, long session, int fenceVersion) {
            return new Leadership(
                    Leadership.Role.LEADER,
                    scope,
                    data,
                    session,
                    czxid,
                    List.of(new Leadership.Check(node, nodeVersion), new Leadership.Check(fenceNode, fenceVersion)));
        }

        private Leadership follower(byte @Nullable [] leaderData, long session) {
            return new Leadership(Leadership.Role.FOLLOWER, scope, leaderData, session, 0, List.of());
        }

        /**
         * Deletes the election node if this session holds it (at the version read, so never another's node), once
         * any create still in flight has landed.
         */
        @Override
        public Mono<Void> withdraw() {
            return creates.settled()
                    .then(Mono.defer(() -> {
                        if (zk.connectionEvent().state() != ConnectionState.CONNECTED) {
                            return Mono.<Void>empty();
                        }
                        long session = zk.connectionEvent().sessionId();
                        return zk.getRawDataAndStat(node)
                                .filter(v -> v.stat().getEphemeralOwner() == session)
                                .flatMap(v -> zk.delete(node, v.stat().getVersion()));
                    }))
                    .onErrorResume(e -> Mono.empty());
        }
    }

    /** A herd-free candidate. Its fields are touched only inside its serialised ({@code switchMap}) chain. */
    private final class QueuedCandidate implements Candidate {

        private final String scope;
        private final String queue;
        private final byte[] data;

        private final InFlight creates = new InFlight();

        private @Nullable String ownNode;

        private long ownSession;

        QueuedCandidate(String scope, byte[] data) {
            this.scope = scope;
            this.queue = "election-queue/" + scope;
            this.data = data;
        }

        @Override
        public Flux<Leadership> run() {
            return Flux.concat(
                            Mono.just(Leadership.unknown(scope)),
                            zk.connectionEvents()
                                    .switchMap(event -> usable(event)
                                            ? Flux.defer(() -> queue(event.sessionId()))
                                            : Flux.just(Leadership.unknown(scope))))
                    .distinctUntilChanged();
        }

        private Flux<Leadership> queue(long session) {
            Mono<String> own = ownNode != null && ownSession == session
                    ? Mono.just(ownNode)
                    : creates.run(zk.create(
                                    queue + "/n-",
                                    data,
                                    CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL)
                                            .withParents())
                            .doOnNext(created -> {
                                ownNode = created;
                                ownSession = session;
                            }));
            return own.flatMapMany(node -> evaluate(node, session));
        }

        private Flux<Leadership> evaluate(String node, long session) {
            String name = node.substring(node.lastIndexOf('/') + 1);
            return zk.getChildren(queue).flatMapMany(children -> {
                List<String> sorted = new ArrayList<>(children);
                sorted.sort(Comparator.comparing(QueuedCandidate::sequence));
                int index = sorted.indexOf(name);
                if (index < 0) {
                    ownNode = null; // deleted by someone else: queue again at the back
                    return queue(session);
                }
                if (index == 0) {
                    return zk.exists(node)
                            .flatMapMany(stat -> Flux.concat(
                                    Mono.just(new Leadership(
                                            Leadership.Role.LEADER,
                                            scope,
                                            data,
                                            session,
                                            stat.getCzxid(),
                                            List.of(new Leadership.Check(node, stat.getVersion())))),
                                    Nodes.gone(zk, node).thenMany(Flux.defer(() -> queue(session)))))
                            .switchIfEmpty(Flux.defer(() -> queue(session)));
                }
                String leader = queue + "/" + sorted.get(0);
                String predecessor = queue + "/" + sorted.get(index - 1);
                return zk.getRawData(leader)
                        .map(leaderData -> follower(leaderData, session))
                        .defaultIfEmpty(follower(null, session))
                        .flatMapMany(view -> Flux.concat(
                                Mono.just(view),
                                Nodes.gone(zk, predecessor).thenMany(Flux.defer(() -> evaluate(node, session)))));
            });
        }

        private Leadership follower(byte @Nullable [] leaderData, long session) {
            return new Leadership(Leadership.Role.FOLLOWER, scope, leaderData, session, 0, List.of());
        }

        private static String sequence(String name) {
            return name.substring(name.lastIndexOf('-') + 1);
        }

        /** Deletes this candidate's node, once any create still in flight has landed. */
        @Override
        public Mono<Void> withdraw() {
            return creates.settled()
                    .then(Mono.defer(() -> {
                        String node = ownNode;
                        if (node == null
                                || zk.connectionEvent().state() != ConnectionState.CONNECTED
                                || zk.connectionEvent().sessionId() != ownSession) {
                            return Mono.<Void>empty();
                        }
                        return zk.delete(node);
                    }))
                    .onErrorResume(e -> Mono.empty());
        }
    }
}
