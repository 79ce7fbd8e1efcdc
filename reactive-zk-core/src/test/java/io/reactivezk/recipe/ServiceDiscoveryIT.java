package io.reactivezk.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.Advertisement;
import io.reactivezk.AsabService;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** Service discovery against a server of its own (so that it can be stopped). */
class ServiceDiscoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final AtomicLong ROOTS = new AtomicLong();

    private static EmbeddedZooKeeper server;

    private ZooKeeperService service;

    private ZooKeeperContainer observer;

    private final List<ServiceInstances> seen = new CopyOnWriteArrayList<>();

    private Disposable watching;

    private String root;

    @BeforeAll
    static void start() {
        server = EmbeddedZooKeeper.startNew();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void observe() {
        root = "/discovery-" + ROOTS.incrementAndGet();
        service = ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()));
        observer = container();
    }

    @AfterEach
    void close() {
        if (watching != null) {
            watching.dispose();
        }
        service.close(WAIT);
    }

    private ZooKeeperContainer container() {
        return service.container("zookeeper://" + server.connectString() + root);
    }

    private void watch(ServiceDiscovery discovery) {
        watching = discovery.instances().subscribe(seen::add);
    }

    private ServiceInstances last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    private List<String> appclasses() {
        ServiceInstances last = last();
        return last == null
                ? null
                : last.stream().map(ServiceInstance::appclass).sorted().toList();
    }

    /** Writes an advertisement as ASAB's ApiService does, with a plain client. */
    private String asabAdvertisement(String json) throws Exception {
        observer.ensurePath("run").block(WAIT);
        ZooKeeper plain = observer.zooKeeper();
        return plain.create(
                observer.resolvePath("run/PyApp."),
                json.getBytes(StandardCharsets.UTF_8),
                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL_SEQUENTIAL);
    }

    @Test
    void instancesAppearAndGoAsContainersAdvertiseWithdrawCloseAndExpire() {
        observer.ensurePath("run").block(WAIT);
        watch(ServiceDiscovery.of(observer));
        await().atMost(WAIT).until(() -> appclasses() != null && appclasses().isEmpty());

        ZooKeeperContainer a = container();
        ZooKeeperContainer b = container();
        Advertisement adA = a.advertise(
                        AsabService.of("Orders", "host-a").withWeb("0.0.0.0", 8080), AsabService.path("Orders"))
                .block(WAIT);
        b.advertise(AsabService.of("Billing", "host-b").withWeb("::", 9090), AsabService.path("Billing"))
                .block(WAIT);
        await().atMost(WAIT).until(() -> List.of("Billing", "Orders").equals(appclasses()));
        assertThat(last().stale()).isFalse();

        adA.withdraw().block(WAIT);
        await().atMost(WAIT).until(() -> List.of("Billing").equals(appclasses()));

        b.closeAsync().block(WAIT);
        await().atMost(WAIT).until(() -> List.of().equals(appclasses()));

        ZooKeeperContainer c = container();
        c.advertise(AsabService.of("Orders", "host-c").withWeb("0.0.0.0", 8081), AsabService.path("Orders"))
                .block(WAIT);
        await().atMost(WAIT).until(() -> List.of("Orders").equals(appclasses()));
        String before = last().get(0).node();
        SessionExpirer.expire(c.zooKeeper(), server.connectString());
        await().alias("the expired instance is gone and its re-advertisement found")
                .atMost(WAIT)
                .until(() -> List.of("Orders").equals(appclasses())
                        && !last().get(0).node().equals(before));
    }

    @Test
    void asabEncodedAdvertisementsDecodeAndLocateAsAsabLocates() throws Exception {
        asabAdvertisement("""
                {"host": "node-1", "appclass": "PyApp", "launch_time": "2026-12-01T10:00:00.000000Z",
                 "process_id": 42, "instance_id": "py-1", "service_id": "py", "containerized": true,
                 "web": [["0.0.0.0", 8080], ["::", 8080], ["127.0.0.1", 9000]],
                 "discovery": {"custom": ["alpha", "beta"]}}
                """);
        ServiceDiscovery discovery = ServiceDiscovery.of(observer, "run/");

        ServiceInstances now = discovery.current().block(WAIT);

        assertThat(now).hasSize(1);
        ServiceInstance py = now.get(0);
        assertThat(py.appclass()).isEqualTo("PyApp");
        assertThat(py.instanceId()).isEqualTo("py-1");
        assertThat(py.serviceId()).isEqualTo("py");
        assertThat(py.host()).isEqualTo("node-1");
        assertThat(py.json().get("process_id").asInt()).isEqualTo(42);
        assertThat(py.ids())
                .containsEntry("custom", Set.of("alpha", "beta"))
                .containsEntry("instance_id", Set.of("py-1"));
        assertThat(discovery.locate("py-1").block(WAIT)).containsExactly("http://node-1:8080");
        assertThat(discovery.locate("service_id", "py").block(WAIT)).containsExactly("http://node-1:8080");
        assertThat(discovery.locate("custom", "beta").block(WAIT)).containsExactly("http://node-1:8080");
        assertThat(discovery.locate("nobody").block(WAIT)).isEmpty();
        assertThat(discovery.current("PyApp").block(WAIT)).hasSize(1);
        assertThat(discovery.current("Other").block(WAIT)).isEmpty();
    }

    @Test
    void anAdvertisementThatIsNotAJsonObjectIsSkippedAndTheOthersAreFound() throws Exception {
        asabAdvertisement("{\"host\": \"node-1\", \"appclass\": \"Good\", \"web\": [[\"0.0.0.0\", 1]]}");
        String text = asabAdvertisement("not json at all");
        String array = asabAdvertisement("[1, 2]");
        watch(ServiceDiscovery.of(observer));

        await().atMost(WAIT).until(() -> List.of("Good").equals(appclasses()));
        assertThat(last().skipped())
                .containsExactlyInAnyOrder(
                        text.substring(text.lastIndexOf('/') + 1), array.substring(array.lastIndexOf('/') + 1));
    }

    @Test
    void aConnectionLossKeepsTheLastListMarkedStaleUntilTheServerIsBack() {
        ZooKeeperContainer a = container();
        a.advertise(AsabService.of("Orders", "host-a").withWeb("0.0.0.0", 8080), AsabService.path("Orders"))
                .block(WAIT);
        watch(ServiceDiscovery.of(observer));
        await().atMost(WAIT).until(() -> List.of("Orders").equals(appclasses()) && !last().stale());

        server.stop();
        try {
            await().alias("the list is kept, marked stale")
                    .atMost(WAIT)
                    .until(() -> last().stale() && List.of("Orders").equals(appclasses()));
        } finally {
            server.start();
        }
        await().alias("fresh again once the server is back")
                .atMost(WAIT)
                .until(() -> !last().stale() && List.of("Orders").equals(appclasses()));
        assertThat(seen).allSatisfy(list -> assertThat(list).isNotEmpty());
    }

    @Test
    void nodesThatComeAndGoFasterThanTheyCanBeReadLeaveNoTrace() throws Exception {
        observer.ensurePath("run").block(WAIT);
        watch(ServiceDiscovery.of(observer));
        await().atMost(WAIT).until(() -> appclasses() != null);
        ZooKeeper plain = observer.zooKeeper();
        for (int i = 0; i < 200; i++) {
            String node = plain.create(
                    observer.resolvePath("run/Flash."),
                    "{\"host\": \"h\"}".getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL);
            plain.delete(node, -1);
        }
        asabAdvertisement("{\"host\": \"node-1\", \"appclass\": \"Stays\"}");

        await().atMost(WAIT).until(() -> List.of("Stays").equals(appclasses()));
        assertThat(last().skipped()).isEmpty();
        assertThat(watching.isDisposed()).as("the stream did not fail").isFalse();
    }
}
