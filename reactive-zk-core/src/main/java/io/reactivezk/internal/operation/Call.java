package io.reactivezk.internal.operation;

import org.apache.zookeeper.ZooKeeper;

/**
 * One asynchronous ZooKeeper request, issued on a connected handle, that answers through a {@link Reply} exactly once
 * (usually from the handle's event thread). The reply travels as the request's context object, so that the
 * callbacks can be shared constants (see {@link Calls}) and a request allocates nothing beyond ZooKeeper's own.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface Call<T> {

    /**
     * Sends the request.
     *
     * @param zk a connected handle
     * @param reply where the answer goes
     */
    void issue(ZooKeeper zk, Reply<? super T> reply);
}
