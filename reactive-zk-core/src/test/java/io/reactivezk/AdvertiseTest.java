package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class AdvertiseTest extends ContainerOnAChroot {

    private final ZooKeeper observer = SharedZooKeeper.adminClient();

    private List<String> children(String relative) throws Exception {
        return observer.getChildren(chroot.resolve(relative), false);
    }

    private String text(String relativeNode) throws Exception {
        return new String(observer.getData(chroot.resolve(relativeNode), false, null), StandardCharsets.UTF_8);
    }

    @Test
    void updatesFromManyThreadsAtOnceAreAllAppliedAndTheLastOneStays() {
        Advertisement ad = zk.advertise(Map.of("n", -1), "run/App.").block(WAIT);
        // Each update asks the advertisement's worker for a pass; asking from many threads at once (as a container's
        // CONNECTED event and its callers do) must never fail one of them.
        reactor.core.publisher.Flux.range(0, 200)
                .parallel(8)
                .runOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .flatMap(n -> ad.update(Map.of("n", n)))
                .sequential()
                .then(ad.update(Map.of("n", 1000)))
                .block(WAIT);
        String node = ad.node().orElseThrow();
        assertThat(zk.getData(node).block(WAIT).get("n").asInt()).isEqualTo(1000);
    }

    @Test
    void anAdvertisementIsAnEphemeralSequentialNodeVisibleToAnotherClient() throws Exception {
        Advertisement ad = zk.advertise(Map.of("host", "node-1", "web", List.of(List.of("0.0.0.0", 8080))), "run/App.")
                .block(WAIT);

        assertThat(ad.node()).hasValueSatisfying(node -> assertThat(node).matches("/run/App\\.\\d{10}"));
        assertThat(ad.path()).isEqualTo("/run/App.");
        String node = ad.node().orElseThrow();
        Stat stat = observer.exists(chroot.resolve(node), false);
        assertThat(stat.getEphemeralOwner()).isEqualTo(zk.connectionEvent().sessionId());
        assertThat(JsonMapper.shared().readTree(text(node)))
                .isEqualTo(JsonMapper.shared().readTree("{\"host\":\"node-1\",\"web\":[[\"0.0.0.0\",8080]]}"));
        assertThat(children("run")).hasSize(1);
    }

    @Test
    void withOrWithoutALeadingSlashTheNodeLandsUnderTheRoot() throws Exception {
        zk.advertise("a", "/run/A.").block(WAIT);
        zk.advertise("b", "run/B.").block(WAIT);
        assertThat(children("run"))
                .hasSize(2)
                .allSatisfy(name -> assertThat(name).matches("[AB]\\.\\d{10}"));
    }

    @Test
    void stringsAreStoredAsUtf8AndBytesAsGivenWhileOtherKindsAreRefused() throws Exception {
        Advertisement text = zk.advertise("žlutý kůň", "run/text-").block(WAIT);
        Advertisement raw = zk.advertise(new byte[] {1, 2, 3}, "run/raw-").block(WAIT);
        assertThat(text(text.node().orElseThrow())).isEqualTo("žlutý kůň");
        assertThat(observer.getData(chroot.resolve(raw.node().orElseThrow()), false, null))
                .containsExactly(1, 2, 3);

        assertThatThrownBy(() -> zk.advertise(42, "run/n-"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> zk.advertise(List.of(1), "run/l-"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> zk.advertise(Map.of(), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advertisingAgainOnTheSamePathRewritesTheSameNodeInPlace() throws Exception {
        Advertisement first = zk.advertise(Map.of("v", 1), "run/App.").block(WAIT);
        String node = first.node().orElseThrow();
        int version = observer.exists(chroot.resolve(node), false).getVersion();

        Advertisement second = zk.advertise(Map.of("v", 2), "/run/App.").block(WAIT);

        assertThat(second).isSameAs(first);
        assertThat(second.node()).contains(node);
        assertThat(children("run")).hasSize(1);
        assertThat(text(node)).isEqualTo("{\"v\":2}");
        assertThat(observer.exists(chroot.resolve(node), false).getVersion()).isEqualTo(version + 1);

        first.update(Map.of("v", 3)).block(WAIT);
        assertThat(text(node)).isEqualTo("{\"v\":3}");
        assertThat(children("run")).hasSize(1);
    }

    @Test
    void withdrawDeletesTheNodeAndEndsTheAdvertisement() throws Exception {
        Advertisement ad = zk.advertise(Map.of("v", 1), "run/App.").block(WAIT);
        String node = ad.node().orElseThrow();

        StepVerifier.create(ad.nodes())
                .expectNext(node)
                .then(() -> ad.withdraw().subscribe())
                .expectComplete()
                .verify(WAIT);

        assertThat(observer.exists(chroot.resolve(node), false)).isNull();
        assertThat(ad.node()).isEmpty();
        StepVerifier.create(ad.withdraw()).expectComplete().verify(WAIT);
        StepVerifier.create(ad.update(Map.of("v", 2)))
                .expectError(ClientClosedException.class)
                .verify(WAIT);

        Advertisement again = zk.advertise(Map.of("v", 9), "run/App.").block(WAIT);
        assertThat(again).isNotSameAs(ad);
        assertThat(children("run")).hasSize(1);
    }

    @Test
    void closingTheContainerRemovesItsAdvertisements() throws Exception {
        Advertisement a = zk.advertise(Map.of("a", 1), "run/A.").block(WAIT);
        Advertisement b = zk.advertise(Map.of("b", 1), "run/B.").block(WAIT);
        assertThat(children("run")).hasSize(2);

        zk.closeAsync().block(WAIT);

        assertThat(children("run")).isEmpty();
        StepVerifier.create(a.nodes()).expectComplete().verify(WAIT);
        StepVerifier.create(b.update(Map.of("b", 2)))
                .expectError(ClientClosedException.class)
                .verify(WAIT);
        StepVerifier.create(zk.advertise(Map.of("c", 1), "run/C."))
                .expectError(ClientClosedException.class)
                .verify(WAIT);
    }

    @Test
    void aReconnectWithinTheSessionChangesNothing() throws Exception {
        Advertisement ad = zk.advertise(Map.of("v", 1), "run/App.").block(WAIT);
        String node = ad.node().orElseThrow();
        long czxid = observer.exists(chroot.resolve(node), false).getCzxid();

        StepVerifier.create(zk.states().skip(1).take(2))
                .then(() -> {
                    try {
                        zk.zooKeeper().getTestable().closeSocket();
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .expectNext(ConnectionState.SUSPENDED, ConnectionState.CONNECTED)
                .expectComplete()
                .verify(WAIT);
        zk.getChildren("run").block(WAIT);

        assertThat(ad.node()).contains(node);
        assertThat(children("run")).containsExactly(node.substring("/run/".length()));
        assertThat(observer.exists(chroot.resolve(node), false).getCzxid()).isEqualTo(czxid);
    }
}
