package io.reactivezk.internal.config;

import io.reactivezk.ZooKeeperConfigurationException;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.ZooKeeperSpec;
import reactor.core.publisher.Mono;

/**
 * Reads the node of a {@code zookeeper://} include through a container of the caller's service, as ASAB reads it
 * with a fresh Kazoo client: from the include's servers (with their chroot, if the connect string has one), at the
 * node's absolute path. The container lives only for the read.
 */
public final class ZooKeeperIncludes {

    private ZooKeeperIncludes() {}

    /**
     * The node's data.
     *
     * @param include the include
     * @param service the service to open the container in
     * @return the data; fails with a {@link ZooKeeperConfigurationException} naming the include if the node is
     *     missing or cannot be read
     */
    public static Mono<byte[]> read(AsabConfigLoader.ZooKeeperInclude include, ZooKeeperService service) {
        String servers = include.servers();
        int slash = servers.indexOf('/');
        String hosts = slash < 0 ? servers : servers.substring(0, slash);
        String chroot = slash < 0 ? "" : servers.substring(slash).replaceAll("/+$", "");
        String node = chroot + include.path();
        return Mono.usingWhen(
                        Mono.fromCallable(() ->
                                        service.container(ZooKeeperSpec.DEFAULT_SECTION, "zookeeper://" + hosts + "/"))
                                .subscribeOn(service.blockingScheduler()),
                        container -> container.getRawData(node),
                        ZooKeeperContainer::closeAsync)
                .onErrorMap(e -> new ZooKeeperConfigurationException(
                        "include '" + include.url() + "': cannot read node " + node + " from " + hosts + ": "
                                + e.getMessage(),
                        e))
                .switchIfEmpty(Mono.error(() -> new ZooKeeperConfigurationException(
                        "include '" + include.url() + "': node " + node + " does not exist on " + hosts)));
    }
}
