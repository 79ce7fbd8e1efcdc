package io.reactivezk;

import java.util.List;
import org.apache.zookeeper.OpResult;
import reactor.core.publisher.Mono;

/**
 * Operations that ZooKeeper applies all together or not at all ({@code multi}). Build it with
 * {@link ZooKeeperContainer#transaction()}; paths are container-relative and checked when each operation is added;
 * data is encoded as in {@link ZooKeeperContainer#setData(String, Object, int)}.
 *
 * <pre>{@code
 * zk.transaction()
 *         .check("config", 4)
 *         .setData("config/current", newConfig, 7)
 *         .create("config/history/v-", oldConfig, CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL))
 *         .commit();
 * }</pre>
 *
 * <p>Not thread-safe while being built.
 */
public interface Transaction {

    /**
     * Adds a create of a persistent node.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]}, {@code String} or a value written as JSON
     * @return this transaction
     */
    default Transaction create(String path, Object data) {
        return create(path, data, CreateOptions.persistent());
    }

    /**
     * Adds a create.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]}, {@code String} or a value written as JSON
     * @param options mode, ACL and TTL; {@link CreateOptions#createParents()} is not supported in a transaction
     * @return this transaction
     * @throws IllegalArgumentException if the options ask for parents to be created
     */
    Transaction create(String path, Object data, CreateOptions options);

    /**
     * Adds a data write.
     *
     * @param path the node, relative to the root
     * @param data {@code byte[]}, {@code String} or a value written as JSON
     * @param expectedVersion the version the node must have, or -1 for any
     * @return this transaction
     */
    Transaction setData(String path, Object data, int expectedVersion);

    /**
     * Adds a delete.
     *
     * @param path the node, relative to the root
     * @param expectedVersion the version the node must have, or -1 for any
     * @return this transaction
     */
    Transaction delete(String path, int expectedVersion);

    /**
     * Adds a version check that writes nothing.
     *
     * @param path the node, relative to the root
     * @param expectedVersion the version the node must have
     * @return this transaction
     */
    Transaction check(String path, int expectedVersion);

    /**
     * Sends the operations as one {@code multi} when subscribed. Not retried: after a
     * {@link ConnectionLossException} the outcome is unknown. Cancelling cannot undo a transaction the server has
     * received.
     *
     * @return ZooKeeper's result per operation, in order (a create's path is container-relative, as everywhere else,
     *     such as {@code /config/history/v-0000000003}); on failure a
     *     {@link NodeException} naming the first operation that failed, its path and, for a version conflict, the
     *     expected version; nothing is applied then. Signals on ZooKeeper's event thread unless
     *     {@link ZooKeeperOptions#publishOn()} is set.
     */
    Mono<List<OpResult>> commit();
}
