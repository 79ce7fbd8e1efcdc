/**
 * reactive-zk: a reactive, non-blocking Apache ZooKeeper client on Project Reactor.
 *
 * <p>Start with {@code ZooKeeperService}, which owns the blocking scheduler, the JSON mapper and the
 * containers; each {@code ZooKeeperContainer} is one ZooKeeper session rooted at a path, resolved from a
 * {@code zookeeper://} URL, a configuration section and the {@code ASAB_ZOOKEEPER_SERVERS} environment variable exactly
 * as ASAB's {@code asab.zookeeper} does. Every operation is a cold {@code Mono} or {@code Flux}; failures are
 * {@link io.reactivezk.ZooKeeperClientException}s.
 */
@NullMarked
package io.reactivezk;

import org.jspecify.annotations.NullMarked;
