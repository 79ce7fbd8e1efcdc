package io.reactivezk.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.ConnectionState;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** The documented snippets run as written against a real server. */
class DocSnippetsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedZooKeeper server;
    private ZooKeeper observer;

    @BeforeEach
    void start() {
        server = EmbeddedZooKeeper.startNew();
        observer = SharedZooKeeper.connect(server.connectString());
    }

    @AfterEach
    void stop() throws Exception {
        observer.close(2000);
        server.close();
    }

    @Test
    void theReadmeTasteAdvertisesUnderTheUrlsRoot(@TempDir Path dir) throws Exception {
        Path appConf = dir.resolve("app.conf");
        Files.writeString(appConf, "[zookeeper]\nservers=" + server.connectString() + "\n");
        ZooKeeperService service = DocSnippets.taste(appConf);
        try {
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> observer.exists("/etc/configs/run", false) != null
                            && observer.getChildren("/etc/configs/run", false).size() == 1);
            assertThat(observer.getChildren("/etc/configs/run", false).get(0)).matches("MyApp\\.\\d{10}");
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void theAdvertisementWalkThroughEndsWithdrawn() throws Exception {
        ZooKeeperService service = ZooKeeperService.create(
                ZooKeeperConfig.empty().withEnvironment(Map.of("ASAB_ZOOKEEPER_SERVERS", server.connectString())));
        try {
            ZooKeeperContainer zk = service.container("zookeeper:///docs");
            zk.states().filter(s -> s == ConnectionState.CONNECTED).blockFirst(WAIT);
            DocSnippets.advertise(zk, Map.of("appclass", "MyApp", "version", 2));
            assertThat(observer.getChildren("/docs/run", false)).isEmpty();
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void theWatchesDeliverTheConfiguration() throws Exception {
        ZooKeeperService service = ZooKeeperService.create(
                ZooKeeperConfig.empty().withEnvironment(Map.of("ASAB_ZOOKEEPER_SERVERS", server.connectString())));
        List<DocSnippets.AppConfig> applied = new CopyOnWriteArrayList<>();
        try {
            ZooKeeperContainer zk = service.container("zookeeper:///docs");
            Disposable watching = DocSnippets.watches(zk, applied::add);
            zk.upsert("config/app", new DocSnippets.AppConfig("api", 3)).block(WAIT);
            Awaitility.await().atMost(WAIT).until(() -> applied.contains(new DocSnippets.AppConfig("api", 3)));
            watching.dispose();
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void theSiteConfigurationMergesAFileAGlobAndANode(@TempDir Path dir) throws Exception {
        observer.create(
                "/etc",
                new byte[0],
                org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.PERSISTENT);
        observer.create(
                "/etc/site.json",
                "{\"zookeeper\": {\"path\": \"/from-node\"}}".getBytes(),
                org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.PERSISTENT);
        Path siteConf = dir.resolve("site.conf");
        Files.createDirectories(dir.resolve("site.d"));
        Files.writeString(dir.resolve("site.d/timeout.conf"), "[zookeeper]\ntimeout=4s\n");
        Files.writeString(
                siteConf,
                "[zookeeper]\nservers=" + server.connectString() + "\n[general]\ninclude=\n"
                        + "  ${THIS_DIR}/site.d/*.conf\n  zookeeper:///etc/site.json\n");

        try (ZooKeeperService bootstrap = ZooKeeperService.create()) {
            ZooKeeperService configured =
                    DocSnippets.siteConfiguration(siteConf, bootstrap).block(WAIT);
            try {
                ZooKeeperContainer zk = configured.container();
                assertThat(zk.spec().rootPath()).isEqualTo("/from-node");
                assertThat(zk.spec().sessionTimeout()).hasSeconds(4);
                assertThat(configured.config().sources()).hasSize(3);
            } finally {
                configured.close(WAIT);
            }
        }
    }

    @Test
    void theRecipesRunAsDocumented() throws Exception {
        try (ZooKeeperService service =
                ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()))) {
            ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + "/recipes");
            zk.advertise(
                            io.reactivezk.AsabService.of("OrderService", "orders-host")
                                    .withIds("order-1", null, "orders", null)
                                    .withWeb("0.0.0.0", 8080),
                            io.reactivezk.AsabService.path("OrderService"))
                    .block(WAIT);
            Disposable members = DocSnippets.discovery(zk);
            assertThat(io.reactivezk.recipe.ServiceDiscovery.of(zk)
                            .locate("order-1")
                            .block(WAIT))
                    .containsExactly("http://orders-host:8080");
            members.dispose();

            zk.upsert("reports/latest", "").block(WAIT);
            Disposable candidate = DocSnippets.election(zk, "quarterly");
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() ->
                            new String(observer.getData("/recipes/reports/latest", false, null)).equals("quarterly"));
            assertThat(new String(observer.getData("/recipes/reports/latest", false, null)))
                    .isEqualTo("quarterly");
            candidate.dispose();

            List<Integer> values = reactor.core.publisher.Flux.range(0, 5)
                    .flatMap(i -> DocSnippets.lock(zk))
                    .collectSortedList()
                    .block(WAIT);
            assertThat(values).containsExactly(1, 2, 3, 4, 5);
        }
    }
}
