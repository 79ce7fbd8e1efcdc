package io.reactivezk;

import org.apache.zookeeper.ZooKeeper;

/**
 * A blocking piece of work with the raw ZooKeeper handle, for anything the reactive API lacks. Run it with
 * {@link ZooKeeperContainer#execute(ZooKeeperCall)}, which calls it on the service's blocking scheduler.
 *
 * @param <T> the result type; {@code null} means "no value" and completes the {@code Mono} empty
 */
@FunctionalInterface
public interface ZooKeeperCall<T> {

    /**
     * Does the work.
     *
     * @param zooKeeper the container's current, connected handle
     * @return the result, or {@code null} for none
     * @throws Exception anything; a {@link org.apache.zookeeper.KeeperException} is translated to the matching
     *     {@link ZooKeeperClientException}
     */
    @org.jspecify.annotations.Nullable
    T call(ZooKeeper zooKeeper) throws Exception;
}
