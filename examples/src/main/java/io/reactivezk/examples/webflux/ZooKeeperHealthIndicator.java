package io.reactivezk.examples.webflux;

import io.reactivezk.ConnectionEvent;
import io.reactivezk.ZooKeeperContainer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The container's connection as health: UP while CONNECTED, OUT_OF_SERVICE while SUSPENDED (the session may still
 * live), DOWN when LOST. It reads the container's current state, so it never calls ZooKeeper, never blocks and
 * answers at once.
 */
public final class ZooKeeperHealthIndicator implements ReactiveHealthIndicator {

    private final ZooKeeperContainer zk;

    ZooKeeperHealthIndicator(ZooKeeperContainer zk) {
        this.zk = zk;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            ConnectionEvent now = zk.connectionEvent();
            Health.Builder health = switch (now.state()) {
                case CONNECTED -> Health.up();
                case SUSPENDED -> Health.outOfService();
                case LOST -> Health.down();
            };
            return health.withDetail("state", now.state())
                    .withDetail("sessionId", now.sessionIdHex())
                    .withDetail("epoch", now.epoch())
                    .withDetail("servers", zk.spec().connectString())
                    .withDetail("root", zk.spec().rootPath())
                    .withDetail("readOnly", now.readOnly())
                    .build();
        });
    }
}
