package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivezk.metrics.ZooKeeperMetrics;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Micrometer meters of a container, on a server of its own (so that it can be stopped). */
class MetricsTest {

    private EmbeddedZooKeeper server;

    private MeterRegistry registry;

    private ZooKeeperService service;

    private ZooKeeperContainer zk;

    @BeforeEach
    void start() {
        server = EmbeddedZooKeeper.startNew();
        registry = new SimpleMeterRegistry();
        service = ZooKeeperService.create(
                ZooKeeperConfig.empty().withEnvironment(Map.of()),
                ZooKeeperOptions.builder()
                        .metrics(ZooKeeperMetrics.micrometer(registry))
                        .build());
        zk = service.container("zookeeper://" + server.connectString() + "/metrics");
        Fixtures.awaitConnected(zk);
    }

    @AfterEach
    void stop() {
        service.close(WAIT);
        server.close();
    }

    private Search meter(String name) {
        return registry.find(name).tag("container", zk.name());
    }

    private double gauge(String name) {
        return meter(name).gauge().value();
    }

    @Test
    void everyReadIsTimedOnceWithItsOperationAndOutcome() {
        zk.create("node", "x").block(WAIT);
        Flux.range(0, 25).concatMap(i -> zk.getRawData("node")).blockLast(WAIT);
        zk.getRawData("missing").block(WAIT);
        zk.setData("missing", "x", 3)
                .onErrorResume(NodeException.NoNodeException.class, e -> reactor.core.publisher.Mono.empty())
                .block(WAIT);

        assertThat(meter("reactivezk.operations")
                        .tag("operation", "getData")
                        .tag("outcome", "success")
                        .timer()
                        .count())
                .isEqualTo(26);
        assertThat(meter("reactivezk.operations")
                        .tag("operation", "setData")
                        .tag("outcome", "node_error")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meter("reactivezk.operations")
                        .tag("operation", "create")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.find("reactivezk.operations").tagKeys("path").timers())
                .as("no path tag")
                .isEmpty();
    }

    @Test
    void aConnectionLossIsCountedAndTheStateGaugeFollows() {
        assertThat(gauge("reactivezk.connection.state") + 0).isNotNaN();
        assertThat(meter("reactivezk.connection.state")
                        .tag("state", "connected")
                        .gauge()
                        .value())
                .isEqualTo(1);

        server.stop();
        await().atMost(WAIT).until(() -> zk.state() == ConnectionState.SUSPENDED);
        assertThat(meter("reactivezk.connection.losses").counter().count()).isEqualTo(1);
        assertThat(meter("reactivezk.connection.state")
                        .tag("state", "suspended")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(meter("reactivezk.connection.state")
                        .tag("state", "connected")
                        .gauge()
                        .value())
                .isEqualTo(0);

        server.start();
        await().atMost(WAIT).until(() -> zk.state() == ConnectionState.CONNECTED);
        assertThat(meter("reactivezk.connection.losses").counter().count()).isEqualTo(1);
        assertThat(meter("reactivezk.session.expiries").counter().count()).isZero();
    }

    @Test
    void anExpiryIsCountedWithTheReAdvertisementItCauses() {
        Advertisement ad = zk.advertise(AsabService.of("App", "h"), AsabService.path("App"))
                .block(WAIT);
        String first = ad.node().orElseThrow();

        SessionExpirer.expire(zk.zooKeeper(), server.connectString());

        await().atMost(WAIT)
                .until(() -> ad.node().filter(node -> !node.equals(first)).isPresent());
        await().atMost(WAIT)
                .until(() -> meter("reactivezk.session.expiries").counter().count() == 1);
        assertThat(meter("reactivezk.readvertisements").counter().count()).isEqualTo(1);
        assertThat(meter("reactivezk.connection.losses").counter().count()).isEqualTo(1);
    }

    @Test
    void watchGaugesCountServerWatchesAndSubscribers() {
        Disposable a = zk.watchData("watched").subscribe();
        Disposable b = zk.watchChildren("watched").subscribe();
        Disposable c = zk.watchData("other").subscribe();
        System.gc(); // Micrometer holds a gauge's object weakly: the gauges must still read after a collection
        await().atMost(WAIT).until(() -> gauge("reactivezk.watches.subscribers") == 3);
        assertThat(gauge("reactivezk.watches.server"))
                .as("one watch per path, shared")
                .isEqualTo(2);

        a.dispose();
        b.dispose();
        c.dispose();
        await().atMost(WAIT).until(() -> gauge("reactivezk.watches.server") == 0);
        assertThat(gauge("reactivezk.watches.subscribers")).isZero();
    }

    @Test
    void closingTheContainerRemovesItsMeters() {
        zk.getRawData("x").block(WAIT);
        assertThat(meter("reactivezk.operations").timers()).isNotEmpty();

        zk.closeAsync().block(WAIT);

        assertThat(registry.find("reactivezk.connection.state")
                        .tag("container", zk.name())
                        .gauges())
                .isEmpty();
        assertThat(meter("reactivezk.operations").timers()).isEmpty();
    }

    @Test
    void withoutMetricsNothingIsRecorded() {
        assertThat(ZooKeeperOptions.defaults().metrics()).isSameAs(ZooKeeperMetrics.none());
        assertThat(ZooKeeperMetrics.none().enabled()).isFalse();
        assertThat(ZooKeeperOptions.builder()
                        .metrics(ZooKeeperMetrics.micrometer(registry))
                        .build()
                        .toString())
                .contains("metrics=ZooKeeperMetrics.micrometer(SimpleMeterRegistry)");
    }
}
