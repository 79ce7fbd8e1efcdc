package io.reactivezk.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.ConnectionState;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's beans: created unless the application defines its own, closed in order. */
class ReactiveZkConfigurationTest {

    private static EmbeddedZooKeeper server;

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ReactiveZkConfiguration.class));

    @BeforeAll
    static void start() {
        server = EmbeddedZooKeeper.startNew();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnService {
        static ZooKeeperService created;

        @Bean(destroyMethod = "close")
        ZooKeeperService myZooKeeperService() {
            created = ZooKeeperService.create(
                    ZooKeeperConfig.of(Map.of("zookeeper", Map.of("servers", server.connectString(), "path", "/mine")))
                            .withEnvironment(Map.of()));
            return created;
        }
    }

    @Test
    void theApplicationsOwnServiceIsUsedAndTheContainerBuiltOnIt() {
        runner.withUserConfiguration(OwnService.class).run(context -> {
            assertThat(context).hasSingleBean(ZooKeeperService.class);
            assertThat(context.getBean(ZooKeeperService.class)).isSameAs(OwnService.created);
            ZooKeeperContainer zk = context.getBean(ZooKeeperContainer.class);
            assertThat(OwnService.created.containers()).contains(zk);
            assertThat(zk.spec().rootPath()).isEqualTo("/mine");
        });
    }

    @Test
    void thePropertiesMakeTheServiceAndClosingTheContextClosesContainerAndService() {
        ZooKeeperContainer[] kept = new ZooKeeperContainer[1];
        runner.withPropertyValues(
                        "reactivezk.servers=" + server.connectString(),
                        "reactivezk.path=/props",
                        "reactivezk.session-timeout=3s",
                        "reactivezk.operation-timeout=2s")
                .run(context -> {
                    ZooKeeperContainer zk = context.getBean(ZooKeeperContainer.class);
                    kept[0] = zk;
                    assertThat(zk.spec().rootPath()).isEqualTo("/props");
                    assertThat(zk.spec().sessionTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(context.getBean(ZooKeeperService.class).options().operationTimeout())
                            .isEqualTo(Duration.ofSeconds(2));
                    assertThat(zk.connected(Duration.ofSeconds(20))
                                    .block(Duration.ofSeconds(30))
                                    .state())
                            .isEqualTo(ConnectionState.CONNECTED);
                });
        assertThat(kept[0].state())
                .as("closed with the context, close() completed")
                .isEqualTo(ConnectionState.LOST);
    }
}
