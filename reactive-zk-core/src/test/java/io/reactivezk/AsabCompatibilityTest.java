package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

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
            StepVerifier.create(zk.getChildren("run")).expectNext(List.of(name)).verifyComplete();
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
                    .verifyComplete();
            StepVerifier.create(zk.getRawData("run/" + name))
                    .assertNext(raw -> assertThat(raw).isEqualTo(asabBytes))
                    .verifyComplete();
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
}
