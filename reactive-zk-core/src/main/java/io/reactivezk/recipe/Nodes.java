package io.reactivezk.recipe;

import io.reactivezk.ZooKeeperContainer;
import reactor.core.publisher.Mono;

/** What the recipes wait for on nodes. */
final class Nodes {

    private Nodes() {}

    /**
     * Completes once the node does not exist: at once if it is missing now, else when it is deleted. It shares the
     * container's watch of the path.
     */
    static Mono<Void> gone(ZooKeeperContainer zk, String path) {
        return zk.watchData(path).filter(snapshot -> !snapshot.exists()).next().then();
    }
}
