package io.reactivezk.examples.webflux;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A small service registry and configuration service on reactive-zk and Spring WebFlux: it advertises itself in
 * ASAB's format and serves {@code /instances}, {@code /config/<path>} and {@code /zookeeper/state} (see
 * docs/webflux.md). With no servers configured ({@code reactivezk.url}, {@code reactivezk.servers},
 * {@code zookeeper.servers} or {@code ASAB_ZOOKEEPER_SERVERS}) it starts an embedded ZooKeeper first.
 */
@SpringBootApplication
public class RegistryService {

    private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

    /**
     * Starts the service.
     *
     * @param args Spring Boot arguments, such as {@code --server.port=8081}
     */
    public static void main(String[] args) {
        application().run(args);
    }

    /** The application, with the embedded ZooKeeper fallback; tests start it the same way. */
    static SpringApplication application() {
        SpringApplication application = new SpringApplication(RegistryService.class);
        application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
            ConfigurableEnvironment environment = event.getEnvironment();
            boolean configured = environment.containsProperty("reactivezk.url")
                    || environment.containsProperty("reactivezk.servers")
                    || environment.containsProperty("zookeeper.servers")
                    || System.getenv("ASAB_ZOOKEEPER_SERVERS") != null;
            if (!configured) {
                EmbeddedZooKeeper embedded = EmbeddedZooKeeper.startNew();
                log.info(
                        "No ZooKeeper servers configured: started an embedded ZooKeeper on {}",
                        embedded.connectString());
                environment
                        .getPropertySources()
                        .addLast(new MapPropertySource(
                                "embeddedZooKeeper", Map.of("reactivezk.servers", embedded.connectString())));
                // Registered before the application's beans, so it is created first and closed last.
                application.addInitializers(context -> ((GenericApplicationContext) context)
                        .registerBean(
                                "embeddedZooKeeper",
                                EmbeddedZooKeeper.class,
                                () -> embedded,
                                definition -> definition.setDestroyMethodName("close")));
            }
        });
        return application;
    }
}
