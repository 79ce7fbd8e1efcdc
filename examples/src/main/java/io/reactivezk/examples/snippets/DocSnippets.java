package io.reactivezk.examples.snippets;

import io.reactivezk.Advertisement;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.recipe.DistributedLock;
import io.reactivezk.recipe.LeaderElection;
import io.reactivezk.recipe.Leadership;
import io.reactivezk.recipe.ServiceDiscovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Compiled, tested code for the documentation; see the package description. */
public final class DocSnippets {

    private static final Logger log = LoggerFactory.getLogger(DocSnippets.class);

    private DocSnippets() {}

    /**
     * A service endpoint as the snippets store it.
     *
     * @param host the host
     * @param port the port
     */
    public record Endpoint(String host, int port) {}

    /**
     * An application configuration as the snippets read it.
     *
     * @param name the application's name
     * @param replicas how many instances run
     */
    public record AppConfig(String name, int replicas) {}

    /**
     * The README's first taste: configuration from an ASAB file, states, a read pipeline, an advertisement and a watch.
     *
     * @param appConf an ASAB-style config file with a {@code [zookeeper]} section
     * @return the service, for the caller to close
     */
    public static ZooKeeperService taste(Path appConf) {
        // tag::taste[]
        ZooKeeperService service = ZooKeeperService.create(ZooKeeperConfig.fromIni(appConf));
        ZooKeeperContainer zk = service.container("zookeeper:///etc/configs"); // servers from [zookeeper] or the env

        zk.states().subscribe(state -> log.info("ZooKeeper is {}", state)); // LOST, CONNECTED, SUSPENDED, ...
        zk.getChildren("services")
                .flatMapMany(Flux::fromIterable)
                .flatMap(name -> zk.getData("services/" + name, Endpoint.class)) // JSON; empty when missing
                .subscribe(endpoint -> log.info("found {}", endpoint));
        zk.advertise(Map.of("appclass", "MyApp"), "run/MyApp.").subscribe(); // re-created after session loss
        zk.watchChildren("run").subscribe(s -> log.info("members: {}", s.children()));
        // end::taste[]
        return service;
    }

    /**
     * The advertisement walk-through of {@code docs/writes-and-advertise.md}.
     *
     * @param zk a container
     * @param data new data for the update
     * @return the advertisement, withdrawn
     */
    public static Advertisement advertise(ZooKeeperContainer zk, Map<String, Object> data) {
        // tag::advertise[]
        Advertisement ad = zk.advertise(
                        Map.of("appclass", "MyApp", "web", List.of(List.of("0.0.0.0", 8080))), "run/MyApp.")
                .block(Duration.ofSeconds(10));
        ad.node(); // Optional["/run/MyApp.0000000007"]
        ad.nodes(); // Flux of node paths: a new one after each session loss
        ad.update(data).block(Duration.ofSeconds(10)); // rewrites the same node in place
        ad.withdraw().block(Duration.ofSeconds(10)); // deletes it and stops re-creating it
        // end::advertise[]
        return ad;
    }

    /**
     * The three watch kinds of {@code docs/watches.md}.
     *
     * @param zk a container
     * @param apply what to do with each configuration
     * @return the subscriptions, for the caller to dispose
     */
    public static Disposable watches(ZooKeeperContainer zk, java.util.function.Consumer<AppConfig> apply) {
        // tag::watches[]
        Disposable config = zk.watchData("config/app", AppConfig.class) // Flux<DataValue<AppConfig>>
                .subscribe(v -> v.asOptional().ifPresent(apply));
        Disposable members = zk.watchChildren("run") // Flux<ChildrenSnapshot>: who is advertised now
                .subscribe(s -> log.info("members: {}", s.children()));
        Disposable tree = zk.watchTree("services") // PRESENT..., INITIALIZED, then CREATED/DATA_CHANGED/DELETED
                .subscribe(e -> log.info("{} {} at zxid {}", e.type(), e.path(), e.zxid()));
        // end::watches[]
        return Disposables.composite(config, members, tree);
    }

    /**
     * The site configuration of {@code docs/configuration.md}: an ASAB file with includes, one of them a ZooKeeper
     * node, read without blocking, and the service built from the result.
     *
     * @param siteConf the main configuration file
     * @param bootstrap a service whose containers read the {@code zookeeper://} includes
     * @return the service configured by the file, for the caller to close
     */
    public static Mono<ZooKeeperService> siteConfiguration(Path siteConf, ZooKeeperService bootstrap) {
        // tag::asab-config[]
        Mono<ZooKeeperService> configured = ZooKeeperConfig.loader() // System.getenv(), user.dir
                .loadAsync(siteConf, bootstrap) // files on bootstrap's blocking scheduler, nodes via its containers
                .doOnNext(config -> log.info("read {}", config.sources())) // [site.conf, ..., zookeeper://...]
                .map(ZooKeeperService::create); // containers now resolve from the merged configuration
        // end::asab-config[]
        return configured;
    }

    /**
     * Service discovery of {@code docs/recipes.md}.
     *
     * @param zk a container
     * @return the subscription, for the caller to dispose, and the located URLs
     */
    public static Disposable discovery(ZooKeeperContainer zk) {
        // tag::discovery[]
        ServiceDiscovery discovery = ServiceDiscovery.of(zk); // <root>/run, ASAB's layout
        Disposable members = discovery
                .instances("OrderService") // Flux<ServiceInstances>, latest value wins
                .subscribe(list -> log.info("{} order services{}", list.size(), list.stale() ? " (stale)" : ""));
        discovery
                .locate("order-1") // Mono<Set<String>>: http://host:port, as ASAB's locate
                .subscribe(urls -> log.info("order-1 is at {}", urls));
        // end::discovery[]
        return members;
    }

    /**
     * Leader election of {@code docs/recipes.md}.
     *
     * @param zk a container
     * @param report the fenced write a leader makes
     * @return the subscription, for the caller to dispose
     */
    public static Disposable election(ZooKeeperContainer zk, String report) {
        // tag::election[]
        byte[] me = LeaderElection.asabCandidateData("reporter-1", "reporter", null); // "instance_id: ...\n"
        Disposable candidate = LeaderElection.of(zk)
                .join("reports", me) // <root>/election/reports, with ASAB candidates too
                .filter(Leadership::isLeader)
                .concatMap(leadership -> leadership
                        .guard(zk.transaction()) // fails on the server once this candidate is deposed
                        .setData("reports/latest", report, -1)
                        .commit())
                .subscribe(); // dispose() withdraws the candidate at once
        // end::election[]
        return candidate;
    }

    /**
     * The lock of {@code docs/recipes.md}.
     *
     * @param zk a container
     * @return the counter's new value
     */
    public static Mono<Integer> lock(ZooKeeperContainer zk) {
        // tag::lock[]
        Mono<Integer> next = DistributedLock.of(zk)
                .withLock(
                        "locks/counter",
                        () -> zk.getData("counter", Integer.class) // held while this runs
                                .defaultIfEmpty(0)
                                .flatMap(n -> zk.upsert("counter", n + 1).thenReturn(n + 1)))
                .timeout(Duration.ofSeconds(10)); // waiting gives up cleanly: the waiter's node is deleted
        // end::lock[]
        return next;
    }
}
