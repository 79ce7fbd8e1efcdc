package io.reactivezk.internal.write;

import io.reactivezk.CreateOptions;
import io.reactivezk.Transaction;
import io.reactivezk.internal.codec.Payloads;
import io.reactivezk.internal.operation.Calls;
import io.reactivezk.internal.operation.Operations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import reactor.core.publisher.Mono;

/** Collects checked operations and sends them as one {@code multi}. */
public final class DefaultTransaction implements Transaction {

    private final Function<String, String> resolve;
    private final Function<String, String> relativize;
    private final Payloads payloads;
    private final Operations operations;
    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> expectedVersions = new ArrayList<>();
    private int payloadBytes;

    public DefaultTransaction(
            Function<String, String> resolve,
            Function<String, String> relativize,
            Payloads payloads,
            Operations operations) {
        this.resolve = resolve;
        this.relativize = relativize;
        this.payloads = payloads;
        this.operations = operations;
    }

    @Override
    public Transaction create(String path, Object data, CreateOptions options) {
        Objects.requireNonNull(options, "options must not be null");
        if (options.createParents()) {
            throw new IllegalArgumentException("a transaction cannot create parents; add their creates before it");
        }
        String absolute = resolve.apply(path);
        byte[] bytes = payloads.encode(data, absolute);
        long ttl = options.ttl() == null ? -1 : options.ttl().toMillis();
        return add(
                options.ttl() == null
                        ? Op.create(absolute, bytes, options.acl(), options.mode())
                        : Op.create(absolute, bytes, options.acl(), options.mode(), ttl),
                -1,
                bytes.length);
    }

    @Override
    public Transaction setData(String path, Object data, int expectedVersion) {
        String absolute = resolve.apply(path);
        byte[] bytes = payloads.encode(data, absolute);
        return add(Op.setData(absolute, bytes, expectedVersion), expectedVersion, bytes.length);
    }

    @Override
    public Transaction delete(String path, int expectedVersion) {
        return add(Op.delete(resolve.apply(path), expectedVersion), expectedVersion, 0);
    }

    @Override
    public Transaction check(String path, int expectedVersion) {
        return add(Op.check(resolve.apply(path), expectedVersion), expectedVersion, 0);
    }

    /** Records an operation with its expected version and the room it takes in the request. */
    private Transaction add(Op op, int expectedVersion, int dataLength) {
        ops.add(op);
        expectedVersions.add(expectedVersion);
        payloadBytes += dataLength + op.getPath().length() + Payloads.PER_OP_OVERHEAD;
        return this;
    }

    @Override
    public Mono<List<OpResult>> commit() {
        List<Op> snapshot = List.copyOf(ops);
        List<Integer> versions = List.copyOf(expectedVersions);
        if (snapshot.isEmpty()) {
            return Mono.just(List.of());
        }
        // The whole multi travels as one request: its data and paths together must fit in jute.maxbuffer.
        payloads.checkLength(
                payloadBytes,
                "multi of " + snapshot.size() + " ops starting at "
                        + snapshot.get(0).getPath());
        return operations.run(
                "multi",
                snapshot.get(0).getPath(),
                false,
                zk -> Calls.multi(zk, snapshot, versions).map(this::relativePaths));
    }

    /** The results with container-relative paths, as every other method reports them. */
    private List<OpResult> relativePaths(List<OpResult> results) {
        List<OpResult> relative = new ArrayList<>(results.size());
        for (OpResult result : results) {
            relative.add(
                    result instanceof OpResult.CreateResult created
                            ? new OpResult.CreateResult(relativize.apply(created.getPath()), created.getStat())
                            : result);
        }
        return List.copyOf(relative);
    }
}
