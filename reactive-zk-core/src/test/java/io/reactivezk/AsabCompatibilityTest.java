package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Data written by ASAB (Python) and by reactive-zk reads the same on both sides. */
@ExtendWith(ZooKeeperExtension.class)
class AsabCompatibilityTest {

    private static byte[] fixture() throws Exception {
        try (InputStream in = AsabCompatibilityTest.class.getResourceAsStream("/asab/advertisement.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void anAdvertisementWrittenByAsabIsReadBackAsTheSameJson(Chroot chroot) throws Exception {
        byte[] asabBytes = fixture();
        SharedZooKeeper.adminClient()
                .create(chroot.resolve("run"), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String node = SharedZooKeeper.adminClient()
                .create(
                        chroot.resolve("run/MyApplication."),
                        asabBytes,
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL);

        ZooKeeperService service = Fixtures.service();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            String name = node.substring(node.lastIndexOf('/') + 1);
            StepVerifier.create(zk.getChildren("run"))
                    .expectNext(List.of(name))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getData("run/" + name))
                    .assertNext(json -> {
                        assertThat(json.get("appclass").asString()).isEqualTo("MyApplication");
                        assertThat(json.get("launch_time").asString()).isEqualTo("2026-11-25T13:00:00.123456Z");
                        assertThat(json.get("process_id").asInt()).isEqualTo(4242);
                        assertThat(json.get("containerized").asBoolean()).isFalse();
                        assertThat(json.get("web").get(1).size()).isEqualTo(4);
                        assertThat(json.get("discovery")
                                        .get("service_id")
                                        .get(0)
                                        .asString())
                                .isEqualTo("my-application");
                        assertThat(json.get("note").asString()).isEqualTo("žluťoučký kůň");
                        assertThat(json.get("parent").isNull()).isTrue();
                        assertThat(json).isEqualTo(JsonMapper.shared().readTree(asabBytes));
                    })
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getRawData("run/" + name))
                    .assertNext(raw -> assertThat(raw).isEqualTo(asabBytes))
                    .expectComplete()
                    .verify(WAIT);
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void anAdvertisementWrittenByReactiveZkHoldsTheSameJsonAsAsabWould(Chroot chroot) throws Exception {
        JsonNode asabTree = JsonMapper.shared().readTree(fixture());
        ZooKeeperService service = Fixtures.service();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            Advertisement ad = zk.advertise(asabTree, "/run/MyApplication.").block(WAIT);
            byte[] stored = SharedZooKeeper.adminClient()
                    .getData(chroot.resolve(ad.node().orElseThrow()), false, null);

            // UTF-8 JSON that Python's json.loads reads to the same value (compact separators, raw UTF-8 text).
            assertThat(JsonMapper.shared().readTree(stored)).isEqualTo(asabTree);
            assertThat(new String(stored, StandardCharsets.UTF_8)).contains("\"note\":\"žluťoučký kůň\"");
            assertThat(ad.node()).hasValueSatisfying(n -> assertThat(n).matches("/run/MyApplication\\.\\d{10}"));

            Map<String, Object> map = Map.of("appclass", "MyApplication", "web", List.of(List.of("0.0.0.0", 8080)));
            Advertisement fromMap = zk.advertise(map, "run/Other.").block(WAIT);
            assertThat(JsonMapper.shared()
                            .readTree(SharedZooKeeper.adminClient()
                                    .getData(chroot.resolve(fromMap.node().orElseThrow()), false, null)))
                    .isEqualTo(JsonMapper.shared().valueToTree(map));
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void asabsAdvertisementReadsAsAnAsabServiceIgnoringFieldsItDoesNotKnow(Chroot chroot) throws Exception {
        SharedZooKeeper.adminClient()
                .create(chroot.resolve("run"), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        SharedZooKeeper.adminClient()
                .create(
                        chroot.resolve("run/MyApplication.0000000000"),
                        fixture(),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
        ZooKeeperService service = Fixtures.service();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            AsabService read = zk.getData("run/MyApplication.0000000000", AsabService.class)
                    .block(WAIT);

            assertThat(read.host()).isEqualTo("node-1.example");
            assertThat(read.appclass()).isEqualTo("MyApplication");
            assertThat(read.launchTime()).isEqualTo("2026-11-25T13:00:00.123456Z");
            assertThat(read.processId()).isEqualTo(4242);
            assertThat(read.instanceId()).isEqualTo("my-application-1");
            assertThat(read.siteId()).isEqualTo("site-a");
            assertThat(read.containerized()).isFalse();
            assertThat(read.discovery()).containsEntry("service_id", List.of("my-application"));
            assertThat(read.web()).containsExactly(List.of("0.0.0.0", 8080), List.of("::", 8080, 0, 0));
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void anAsabServiceIsWrittenWithAsabsFieldNamesAndFormatsAndReadsBackEqual(Chroot chroot) throws Exception {
        AsabService me = AsabService.of("OrderService", "java-host")
                .withWeb("0.0.0.0", 8080)
                .withIds("order-1", null, "order", null)
                .withDiscovery("custom", List.of("a", "b"));
        ZooKeeperService service = Fixtures.service();
        try {
            ZooKeeperContainer zk = service.container(Fixtures.url(chroot));
            Advertisement ad =
                    zk.advertise(me, AsabService.path("OrderService")).block(WAIT);
            String node = ad.node().orElseThrow();
            assertThat(node).matches("/run/OrderService\\.\\d{10}");

            JsonNode stored = JsonMapper.shared()
                    .readTree(SharedZooKeeper.adminClient().getData(chroot.resolve(node), false, null));
            assertThat(stored.propertyNames())
                    .containsExactlyInAnyOrder(
                            "host",
                            "appclass",
                            "launch_time",
                            "process_id",
                            "instance_id",
                            "service_id",
                            "discovery",
                            "web");
            assertThat(stored.get("launch_time").asString())
                    .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
            assertThat(stored.get("process_id").asLong())
                    .isEqualTo(ProcessHandle.current().pid());
            assertThat(stored.get("web").get(0).get(1).asInt()).isEqualTo(8080);
            assertThat(zk.getData(node, AsabService.class).block(WAIT)).isEqualTo(me);
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void aBadAsabServiceIsRefusedByName() {
        AsabService me = AsabService.of("OrderService", "h");
        assertThatThrownBy(() -> me.withWeb("0.0.0.0", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> AsabService.of("a/b", "h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/b");
        assertThatThrownBy(() -> AsabService.of(null, "h"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("appclass");
    }
}
