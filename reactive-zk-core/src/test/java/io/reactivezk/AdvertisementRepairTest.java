package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.FaultyLink;
import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Advertisements that another client deletes or overwrites, that the server refuses for good, and creates whose
 * replies are lost while another caller of the same container creates beside them.
 */
@ExtendWith(ZooKeeperExtension.class)
class AdvertisementRepairTest {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");
    private static final Map<String, Object> DATA = Map.of("appclass", "Repair", "host", "h1");

    private FaultyLink link;
    private ZooKeeperService service;
    private ZooKeeperContainer zk;
    private Chroot chroot;
    private final ZooKeeper admin = SharedZooKeeper.adminClient();

    @BeforeEach
    void connectThroughALink(Chroot chroot) {
        this.chroot = chroot;
        link = FaultyLink.to(chroot.serverConnectString());
        service = Fixtures.service();
        zk = service.container("zookeeper://" + link.connectString() + chroot.path());
        Fixtures.awaitConnected(zk);
    }

    @AfterEach
    void close() {
        service.close(WAIT);
        link.close();
    }

    private String absolute(String relative) {
        return chroot.path() + relative;
    }

    private byte[] stored(String relative) throws Exception {
        return admin.getData(absolute(relative), false, null);
    }

    @Nested
    class ChangedBySomeoneElse {

        @Test
        void aDeletedNodeIsBackWithItsDataAndNodeNamesTheNewOne() throws Exception {
            Advertisement ad = zk.advertise(DATA, "run/Repair.").block(WAIT);
            String first = ad.node().orElseThrow();
            byte[] data = stored(first);

            long deleted = System.nanoTime();
            admin.delete(absolute(first), -1);
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> ad.node().filter(node -> !node.equals(first)).isPresent());
            timings.info(
                    "advertisement deleted by another client: back after {} ms",
                    Duration.ofNanos(System.nanoTime() - deleted).toMillis());
            assertThat(stored(ad.node().orElseThrow())).isEqualTo(data);
            assertThat(admin.getChildren(absolute("/run"), false)).hasSize(1);
        }

        @Test
        void overwrittenDataIsRestored() throws Exception {
            Advertisement ad = zk.advertise(DATA, "run/Repair.").block(WAIT);
            String node = ad.node().orElseThrow();
            byte[] data = stored(node);

            long overwritten = System.nanoTime();
            admin.setData(absolute(node), "{}".getBytes(StandardCharsets.UTF_8), -1);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
                byte[] now = stored(node);
                return java.util.Arrays.equals(now, data);
            });
            timings.info(
                    "advertisement overwritten by another client: restored after {} ms",
                    Duration.ofNanos(System.nanoTime() - overwritten).toMillis());
            assertThat(ad.node()).contains(node);
        }

        @Test
        void aDeletionWhoseNotificationWasLostIsRepairedAfterTheSameSessionReconnects() throws Exception {
            Advertisement ad = zk.advertise(DATA, "run/Repair.").block(WAIT);
            String first = ad.node().orElseThrow();
            long session = zk.connectionEvent().sessionId();

            link.stall(); // the NodeDeleted notification is held back, then dropped by the cut
            admin.delete(absolute(first), -1);
            link.cut();

            await().atMost(WAIT)
                    .until(() -> ad.node().filter(node -> !node.equals(first)).isPresent());
            assertThat(zk.connectionEvent().sessionId()).as("same session").isEqualTo(session);
            Stat stat = admin.exists(absolute(ad.node().orElseThrow()), false);
            assertThat(stat.getEphemeralOwner()).isEqualTo(session);
        }
    }

    @Nested
    class RefusedForGood {

        @Test
        void aParentNobodyMayWriteFailsTheAdvertisementWithNoAuthAndLeavesNothing() throws Exception {
            admin.create(absolute("/locked"), new byte[0], ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
            StepVerifier.create(zk.advertise(DATA, "locked/App."))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.class)
                            .satisfies(
                                    n -> assertThat(((NodeException) n).code()).isEqualTo(Code.NOAUTH))
                            .hasMessageContaining("/locked/App."))
                    .verify(WAIT);
            assertThat(zk.advertisement("locked/App.")).isEmpty();
        }

        @Test
        void anEphemeralParentFailsTheAdvertisement() throws Exception {
            ZooKeeper other = SharedZooKeeper.connect(chroot.serverConnectString());
            try {
                other.create(absolute("/eph"), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                StepVerifier.create(zk.advertise(DATA, "eph/App."))
                        .expectErrorSatisfies(
                                e -> assertThat(((NodeException) e).code()).isEqualTo(Code.NOCHILDRENFOREPHEMERALS))
                        .verify(WAIT);
                assertThat(zk.advertisement("eph/App.")).isEmpty();
            } finally {
                other.close(5_000);
            }
        }
    }

    @Test
    void anAdvertiseCancelledByTheCallersTimeoutLeavesAHandleThatWithdraws() throws Exception {
        link.stall();
        StepVerifier.create(zk.advertise(DATA, "run/Late.").timeout(Duration.ofMillis(300)))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        Advertisement ad = zk.advertisement("/run/Late.").orElseThrow();
        link.cut(); // reconnect: the advertisement goes on
        await().atMost(WAIT).until(() -> ad.node().isPresent());
        assertThat(admin.getChildren(absolute("/run"), false)).hasSize(1);

        StepVerifier.create(ad.withdraw()).expectComplete().verify(WAIT);
        assertThat(admin.getChildren(absolute("/run"), false)).isEmpty();
        assertThat(zk.advertisement("run/Late.")).isEmpty();
    }

    @Nested
    class RetriedCreatesProveOwnership {

        @Test
        void twoSequentialCreatesWithOnePrefixAndEqualDataWhoseRepliesAreLostGetTwoNodes() throws Exception {
            zk.ensurePath("locks").block(WAIT);
            link.holdReplies();
            CreateOptions sequential = CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL);
            Mono<String> first = zk.create("locks/lock-", "same", sequential).cache();
            Mono<String> second = zk.create("locks/lock-", "same", sequential).cache();
            first.subscribe(node -> {}, e -> {});
            second.subscribe(node -> {}, e -> {});
            await().atMost(WAIT)
                    .until(() -> admin.getChildren(absolute("/locks"), false).size() == 2);
            link.cut(); // both replies lost: both creates retry and look for their node

            String a = first.block(WAIT);
            String b = second.block(WAIT);
            assertThat(a).isNotEqualTo(b);
            assertThat(List.of(a, b))
                    .containsExactlyInAnyOrderElementsOf(admin.getChildren(absolute("/locks"), false).stream()
                            .map(name -> "/locks/" + name)
                            .toList());
        }

        @Test
        void twoCreatesOfOnePathWithEqualDataWhoseRepliesAreLostAreNotBothToldTheyCreatedIt() {
            link.holdReplies();
            Mono<String> first = zk.create("config", "same").cache();
            Mono<String> second = zk.create("config", "same").cache();
            first.subscribe(node -> {}, e -> {});
            second.subscribe(node -> {}, e -> {});
            await().atMost(WAIT).until(() -> admin.exists(absolute("/config"), false) != null);
            link.cut();

            int created = 0;
            int existed = 0;
            for (Mono<String> create : List.of(first, second)) {
                try {
                    create.block(WAIT);
                    created++;
                } catch (NodeException.NodeExistsException e) {
                    existed++;
                }
            }
            assertThat(created).as("told they created it").isEqualTo(1);
            assertThat(existed).as("told it existed").isEqualTo(1);
        }
    }
}
