package io.reactivezk.examples.webflux;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperOptions;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.metrics.ZooKeeperMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

// tag::configuration[]
/**
 * reactive-zk in a Spring Boot service, in one class to read and copy: one {@link ZooKeeperService} and one
 * {@link ZooKeeperContainer}, each created only if the application has not defined its own, and the advertisement of
 * this service. Spring closes them in reverse order of creation: the advertisement is withdrawn first (its lifecycle
 * stops before the web server's graceful shutdown), then the container is closed, then the service; each
 * {@code close()} waits for its work to finish (bounded by the options' close timeout). It is an auto-configuration
 * (listed in {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}), so the
 * application's own beans are seen first and {@code @ConditionalOnMissingBean} backs off for them.
 */
@AutoConfiguration
@EnableConfigurationProperties(ReactiveZkProperties.class)
public class ReactiveZkConfiguration {

    /**
     * The service: options from {@code reactivezk.*}, Micrometer meters in the application's registry when there is
     * one, and the {@code [zookeeper]} section built from the properties (servers falling back to
     * {@code zookeeper.servers}, then to {@code ASAB_ZOOKEEPER_SERVERS}).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ZooKeeperService zooKeeperService(
            ReactiveZkProperties properties, Environment environment, ObjectProvider<MeterRegistry> registry) {
        Map<String, String> section = new LinkedHashMap<>();
        String servers =
                properties.servers() != null ? properties.servers() : environment.getProperty("zookeeper.servers");
        if (servers != null && !servers.isBlank()) {
            section.put("servers", servers);
        }
        section.put("path", properties.path());
        section.put("timeout", properties.sessionTimeout().toMillis() + "ms");
        ZooKeeperOptions.Builder options = ZooKeeperOptions.builder().operationTimeout(properties.operationTimeout());
        if (properties.username() != null && properties.password() != null) {
            options.digest(properties.username(), properties.password());
        }
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            options.metrics(ZooKeeperMetrics.micrometer(meters));
        }
        return ZooKeeperService.create(ZooKeeperConfig.of(Map.of("zookeeper", section)), options.build());
    }

    /** The container: the URL's servers and root, or else the {@code [zookeeper]} section's. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ZooKeeperContainer zooKeeperContainer(ZooKeeperService service, ReactiveZkProperties properties) {
        return service.container("zookeeper", properties.url());
    }

    /** This service's advertisement in ASAB's format, once the web server listens; withdrawn before it stops. */
    @Bean
    ServiceAdvertiser serviceAdvertiser(ZooKeeperContainer container, ReactiveZkProperties properties) {
        return new ServiceAdvertiser(container, properties);
    }

    /** {@code /actuator/health}: the container's connection state, read without a call to ZooKeeper. */
    @Bean
    ZooKeeperHealthIndicator zooKeeperHealthIndicator(ZooKeeperContainer container) {
        return new ZooKeeperHealthIndicator(container);
    }
}
// end::configuration[]
