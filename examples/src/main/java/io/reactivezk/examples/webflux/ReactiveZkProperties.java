package io.reactivezk.examples.webflux;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's ZooKeeper settings, {@code reactivezk.*}; servers fall back to {@code zookeeper.servers} and then to
 * {@code ASAB_ZOOKEEPER_SERVERS}, exactly as the core resolves them.
 *
 * @param url the container's {@code zookeeper://} URL (servers and root), or {@code null} to take both from
 *     {@code servers} and {@code path}
 * @param servers the connect string, such as {@code zk1:2181,zk2:2181}
 * @param path the root path of the container
 * @param sessionTimeout the session timeout
 * @param operationTimeout how long an operation may take, waiting for a connection included
 * @param username a digest user, with {@code password}, presented by every session
 * @param password the digest password
 * @param appclass the application class this service advertises itself as, under {@code run/}
 * @param instanceId the instance id it advertises, for {@code locate}
 */
@ConfigurationProperties("reactivezk")
public record ReactiveZkProperties(
        @Nullable String url,
        @Nullable String servers,
        @DefaultValue("/asab") String path,
        @DefaultValue("10s") Duration sessionTimeout,
        @DefaultValue("5s") Duration operationTimeout,
        @Nullable String username,
        @Nullable String password,
        @DefaultValue("RegistryService") String appclass,
        @Nullable String instanceId) {

    @Override
    public String toString() {
        return "ReactiveZkProperties{url=" + url + ", servers=" + servers + ", path=" + path + ", sessionTimeout="
                + sessionTimeout + ", operationTimeout=" + operationTimeout + ", username=" + username
                + ", password=" + (password == null ? null : "(hidden)") + ", appclass=" + appclass + "}";
    }
}
