package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Reads with their Stat, read-modify-write, sync, ACLs, ephemerals, counts and whoAmI, on a real server. */
class MoreOperationsTest extends ContainerOnAChroot {

    @Nested
    class ReadsWithTheirStat {

        @Test
        void rawJsonAndTypedReadsCarryTheVersionTheyWereReadAt() {
            zk.create("config", Map.of("n", 1)).block(WAIT);
            zk.setData("config", Map.of("n", 2)).block(WAIT);

            Versioned<byte[]> raw = zk.getRawDataAndStat("config").block(WAIT);
            assertThat(new String(raw.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
            assertThat(raw.version()).isEqualTo(1);
            Versioned<JsonNode> json = zk.getDataAndStat("config").block(WAIT);
            assertThat(json.value().get("n").asInt()).isEqualTo(2);
            assertThat(json.version()).isEqualTo(1);
            Versioned<Counter> typed =
                    zk.getDataAndStat("config", Counter.class).block(WAIT);
            assertThat(typed.value()).isEqualTo(new Counter(2));
            assertThat(typed.stat().getDataLength()).isEqualTo(7);
        }

        @Test
        void aMissingNodeIsEmptyForEveryRead() {
            StepVerifier.create(zk.getRawDataAndStat("missing"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getDataAndStat("missing")).expectComplete().verify(WAIT);
            StepVerifier.create(zk.getDataAndStat("missing", Counter.class))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getChildrenAndStat("missing"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getACL("missing")).expectComplete().verify(WAIT);
            StepVerifier.create(zk.getAllChildrenNumber("missing"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.isPresent("missing"))
                    .expectNext(false)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void manyNodesAreReadInOneRoundTripAndAMissingOneDoesNotFailTheOthers() {
            for (int i = 0; i < 50; i++) {
                zk.create(
                                "configs/c-" + i,
                                Map.of("i", i),
                                CreateOptions.persistent().withParents())
                        .block(WAIT);
            }
            List<String> paths = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                paths.add("configs/c-" + i);
            }
            paths.add(25, "configs/missing");

            List<NodeSnapshot> read = zk.getDataAll(paths).block(WAIT);

            assertThat(read).hasSize(51);
            assertThat(read.get(0).path()).isEqualTo("/configs/c-0");
            assertThat(read.get(0).text()).isEqualTo("{\"i\":0}");
            assertThat(read.get(25).exists()).isFalse();
            assertThat(read.get(25).path()).isEqualTo("/configs/missing");
            assertThat(read.get(50).text()).isEqualTo("{\"i\":49}");
            assertThat(read.get(50).stat().getVersion()).isZero();
            assertThat(zk.getDataAll(List.of()).block(WAIT)).isEmpty();
        }

        @Test
        void theStatOfAReadIsItsOwnCopy() {
            zk.create("config", "x").block(WAIT);
            Versioned<byte[]> read = zk.getRawDataAndStat("config").block(WAIT);
            Stat handedOut = read.stat();
            handedOut.setVersion(99);
            assertThat(read.version()).isZero();
            assertThat(read.stat().getVersion()).isZero();
        }

        @Test
        void aSubscriberThatChangesItsSnapshotsStatChangesNothingForTheOthers() {
            zk.create("shared", "x").block(WAIT);
            NodeSnapshot first = zk.watchData("shared").blockFirst(WAIT);
            first.stat().setVersion(42);
            assertThat(first.stat().getVersion()).isZero();
            ChildrenSnapshot children = zk.watchChildren("shared").blockFirst(WAIT);
            children.stat().setCversion(42);
            assertThat(children.stat().getCversion()).isZero();
        }

        @Test
        void childrenComeWithTheParentsStat() {
            zk.create("dir", "").block(WAIT);
            zk.create("dir/b", "").block(WAIT);
            zk.create("dir/a", "").block(WAIT);

            Versioned<List<String>> children = zk.getChildrenAndStat("dir").block(WAIT);
            assertThat(children.value()).containsExactly("a", "b");
            assertThat(children.stat().getCversion()).isEqualTo(2);
            assertThat(children.stat().getNumChildren()).isEqualTo(2);
            StepVerifier.create(zk.isPresent("dir/a"))
                    .expectNext(true)
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Nested
    class ReadModifyWrite {

        @Test
        void concurrentUpdatesOfOneCounterLoseNoIncrement() {
            zk.create("counter", new Counter(0)).block(WAIT);

            Flux.range(0, 40)
                    .flatMap(i -> zk.update("counter", Counter.class, c -> new Counter(c.n() + 1)), 4)
                    .blockLast(WAIT);

            Versioned<Counter> last =
                    zk.getDataAndStat("counter", Counter.class).block(WAIT);
            assertThat(last.value()).isEqualTo(new Counter(40));
            assertThat(last.version()).isEqualTo(40);
        }

        @Test
        void theUpdateReturnsWhatItWroteWithTheNewStat() {
            zk.create("counter", new Counter(5)).block(WAIT);
            Versioned<Counter> written = zk.update("counter", Counter.class, c -> new Counter(c.n() * 2))
                    .block(WAIT);
            assertThat(written.value()).isEqualTo(new Counter(10));
            assertThat(written.version()).isEqualTo(1);
        }

        @Test
        void aMissingNodeOrANullResultFailsNamingThePath() {
            StepVerifier.create(zk.update("missing", Counter.class, c -> c))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.NoNodeException.class)
                            .hasMessageContaining(chroot.path() + "/missing"))
                    .verify(WAIT);
            zk.create("counter", new Counter(1)).block(WAIT);
            StepVerifier.create(zk.update("counter", Counter.class, c -> null))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("returned null")
                            .hasMessageContaining("/counter"))
                    .verify(WAIT);
            assertThat(zk.getDataAndStat("counter", Counter.class).block(WAIT).version())
                    .as("nothing written")
                    .isZero();
        }
    }

    @Test
    void syncCompletesAndAReadAfterItSeesAnotherClientsWrite() throws Exception {
        zk.create("shared", "before").block(WAIT);
        SharedZooKeeper.adminClient().setData(chroot.path() + "/shared", "after".getBytes(StandardCharsets.UTF_8), -1);
        StepVerifier.create(zk.sync("shared")).expectComplete().verify(WAIT);
        assertThat(new String(zk.getRawData("shared").block(WAIT), StandardCharsets.UTF_8))
                .isEqualTo("after");
    }

    @Test
    void anAclIsReadWithItsVersionAndReplacedOnlyAtThatVersion() {
        zk.create("guarded", "x").block(WAIT);
        Versioned<List<ACL>> acl = zk.getACL("guarded").block(WAIT);
        assertThat(acl.value()).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        assertThat(acl.stat().getAversion()).isZero();

        List<ACL> readOnlyForAll =
                List.of(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.ADMIN, new Id("world", "anyone")));
        Stat changed = zk.setACL("guarded", readOnlyForAll, 0).block(WAIT);
        assertThat(changed.getAversion()).isEqualTo(1);
        StepVerifier.create(zk.setACL("guarded", ZooDefs.Ids.OPEN_ACL_UNSAFE, 0))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(NodeException.BadVersionException.class)
                        .hasMessageContaining("/guarded"))
                .verify(WAIT);
        assertThat(zk.getACL("guarded").block(WAIT).value()).isEqualTo(readOnlyForAll);
        StepVerifier.create(zk.setData("guarded", "y"))
                .expectErrorSatisfies(e -> assertThat(((NodeException) e).code())
                        .isEqualTo(org.apache.zookeeper.KeeperException.Code.NOAUTH))
                .verify(WAIT);
    }

    @Test
    void getEphemeralsListsTheSessionsOwnEphemeralsByPathPrefix() throws Exception {
        zk.advertise(Map.of("appclass", "App"), "run/App.").block(WAIT);
        zk.advertise(Map.of("appclass", "Other"), "run/Other.").block(WAIT);
        zk.create(
                        "locks/lock-",
                        "",
                        CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL).withParents())
                .block(WAIT);
        zk.create("persistent", "").block(WAIT);
        ZooKeeper stranger = SharedZooKeeper.connect(chroot.serverConnectString());
        try {
            stranger.create(
                    chroot.path() + "/run/App.stranger",
                    new byte[0],
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL);

            assertThat(zk.getEphemerals("run/App.").block(WAIT)).containsExactly("/run/App.0000000000");
            assertThat(zk.getEphemerals("/run").block(WAIT))
                    .containsExactly("/run/App.0000000000", "/run/Other.0000000001");
            assertThat(zk.getEphemerals("").block(WAIT))
                    .containsExactly("/locks/lock-0000000000", "/run/App.0000000000", "/run/Other.0000000001");
        } finally {
            stranger.close(5_000);
        }
    }

    @Test
    void getAllChildrenNumberCountsEveryDescendant() {
        zk.create("tree/a/x", "", CreateOptions.persistent().withParents()).block(WAIT);
        zk.create("tree/a/y", "").block(WAIT);
        zk.create("tree/b", "").block(WAIT);
        assertThat(zk.getAllChildrenNumber("tree").block(WAIT)).isEqualTo(4);
        assertThat(zk.getAllChildrenNumber("tree/b").block(WAIT)).isZero();
    }

    @Test
    void whoAmINamesTheSessionsIdentities() {
        ZooKeeperService alice = Fixtures.service(
                ZooKeeperOptions.builder().digest("alice", "secret").build());
        try {
            ZooKeeperContainer withDigest = alice.container(Fixtures.url(chroot));
            withDigest.connected(WAIT).block();
            assertThat(withDigest.whoAmI().block(WAIT))
                    .contains(new Identity("digest", "alice"))
                    .anySatisfy(identity -> assertThat(identity.scheme()).isEqualTo("ip"));
            assertThat(zk.whoAmI().block(WAIT))
                    .noneSatisfy(id -> assertThat(id.scheme()).isEqualTo("digest"));
        } finally {
            alice.close();
        }
    }

    @Nested
    class NextChange {

        @Test
        void aDataChangeByAnotherClientCompletesItOnceWithTheRelativePath() throws Exception {
            zk.create("config", "v1").block(WAIT);
            awaitWatched("config");
            StepVerifier.create(zk.nextChange("config"))
                    .then(() -> adminSet("/config", "v2"))
                    .assertNext(event -> {
                        assertThat(event.getType())
                                .isEqualTo(org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged);
                        assertThat(event.getPath()).isEqualTo("/config");
                    })
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void creationAndDeletionAreReportedAsSuch() {
            awaitWatched("later");
            StepVerifier.create(zk.nextChange("later"))
                    .then(() -> zk.create("later", "x").block(WAIT))
                    .assertNext(event -> assertThat(event.getType())
                            .isEqualTo(org.apache.zookeeper.Watcher.Event.EventType.NodeCreated))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.nextChange("later"))
                    .then(() -> zk.delete("later").block(WAIT))
                    .assertNext(event -> assertThat(event.getType())
                            .isEqualTo(org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void cancellingRemovesTheWatchAndAChangeAcrossASessionExpiryIsStillSeen() {
            zk.create("config", "v1").block(WAIT);
            int before = SharedZooKeeper.server().watchCount();
            reactor.core.Disposable waiting = zk.nextChange("config").subscribe();
            Fixtures.awaitTrue(() -> SharedZooKeeper.server().watchCount() > before, WAIT);
            waiting.dispose();
            Fixtures.awaitTrue(() -> SharedZooKeeper.server().watchCount() == before, WAIT);

            long epoch = zk.connectionEvent().epoch();
            awaitWatched("config");
            StepVerifier.create(zk.nextChange("config"))
                    .then(() ->
                            io.reactivezk.testkit.SessionExpirer.expire(zk.zooKeeper(), chroot.serverConnectString()))
                    .then(() -> Fixtures.awaitTrue(
                            () -> zk.isConnected() && zk.connectionEvent().epoch() > epoch, WAIT))
                    .expectNoEvent(java.time.Duration.ofMillis(200))
                    .then(() -> adminSet("/config", "v2"))
                    .assertNext(event -> assertThat(event.getType())
                            .isEqualTo(org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged))
                    .expectComplete()
                    .verify(WAIT);
        }

        /**
         * Makes sure the node has been read by the container's shared watch, so that the next change is one: a stream
         * of the same path keeps the watch, and a {@code nextChange} subscribed after its first element starts from
         * that read.
         */
        private void awaitWatched(String relative) {
            java.util.List<NodeSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            keepers.add(zk.watchData(relative).subscribe(seen::add));
            Fixtures.awaitTrue(() -> !seen.isEmpty(), WAIT);
        }

        private final reactor.core.Disposable.Composite keepers = reactor.core.Disposables.composite();

        @org.junit.jupiter.api.AfterEach
        void releaseTheKeepers() {
            keepers.dispose();
        }

        private void adminSet(String relative, String text) {
            try {
                SharedZooKeeper.adminClient()
                        .setData(chroot.path() + relative, text.getBytes(StandardCharsets.UTF_8), -1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class Payloads {

        /** A class Jackson finds nothing to write in. */
        static final class NoProperties {}

        @Test
        void valuesThatAreAlmostAlwaysAMistakeAreRefusedAtCallTimeAndNothingIsWritten() {
            List<Object> mistakes = List.of(
                    new Object(),
                    new NoProperties(),
                    java.util.Optional.of("x"),
                    reactor.core.publisher.Mono.just("x"),
                    java.util.concurrent.CompletableFuture.completedFuture("x"),
                    new java.io.ByteArrayInputStream(new byte[1]),
                    Thread.currentThread());
            for (Object mistake : mistakes) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> zk.create("refused", mistake))
                        .as(mistake.getClass().getName())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(mistake.getClass().getName())
                        .hasMessageContaining(chroot.path() + "/refused");
            }
            StepVerifier.create(zk.isPresent("refused"))
                    .expectNext(false)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aByteBufferIsStoredAsItsRemainingBytesWithoutMovingIt() {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.UTF_8));
            buffer.position(2);
            zk.create("buffer", buffer).block(WAIT);
            assertThat(new String(zk.getRawData("buffer").block(WAIT), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
            assertThat(buffer.position()).isEqualTo(2);
            assertThat(zk.create("empty-map", Map.of())
                            .then(zk.getRawData("empty-map"))
                            .block(WAIT))
                    .as("an empty map is data, not a mistake")
                    .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A JSON counter. */
    record Counter(int n) {}
}
