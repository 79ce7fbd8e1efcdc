package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class WritesTest extends ContainerOnAChroot {

    record Config(String name, int replicas) {}

    private final ZooKeeper admin = SharedZooKeeper.adminClient();

    private Stat stat(String relative) throws Exception {
        return admin.exists(chroot.resolve(relative), false);
    }

    private String text(String relative) throws Exception {
        return new String(admin.getData(chroot.resolve(relative), false, null), StandardCharsets.UTF_8);
    }

    @Nested
    class Create {

        @Test
        void createsAPersistentNodeAndReturnsItsContainerRelativePath() throws Exception {
            StepVerifier.create(zk.create("a", "hello"))
                    .expectNext("/a")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(text("a")).isEqualTo("hello");
            assertThat(stat("a").getEphemeralOwner()).isZero();
        }

        @Test
        void eachCreateModeGivesTheRightKindOfNode() throws Exception {
            long session = zk.connectionEvent().sessionId();
            StepVerifier.create(zk.create("eph", "", CreateOptions.of(CreateMode.EPHEMERAL)))
                    .expectNext("/eph")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(stat("eph").getEphemeralOwner()).isEqualTo(session);

            StepVerifier.create(zk.create("seq-", "", CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL)))
                    .assertNext(path -> assertThat(path).matches("/seq-\\d{10}"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.create("eseq-", "", CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL)))
                    .assertNext(path -> assertThat(path).matches("/eseq-\\d{10}"))
                    .expectComplete()
                    .verify(WAIT);

            StepVerifier.create(zk.create("box", "", CreateOptions.of(CreateMode.CONTAINER)))
                    .expectNext("/box")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(stat("box")).isNotNull();

            CreateOptions ttl = CreateOptions.builder()
                    .mode(CreateMode.PERSISTENT_WITH_TTL)
                    .ttl(Duration.ofMinutes(1))
                    .build();
            StepVerifier.create(zk.create("ttl", "x", ttl))
                    .expectNext("/ttl")
                    .expectComplete()
                    .verify(WAIT);
            CreateOptions ttlSequential =
                    ttl.mutate().mode(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL).build();
            StepVerifier.create(zk.create("ttl-", "x", ttlSequential))
                    .assertNext(path -> assertThat(path).matches("/ttl-\\d{10}"))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aBadAclIsRefusedWhenBuiltAndAGoodOneAlsoPassesZooKeepersOwnCheck() throws Exception {
            List<ACL> withNull = new ArrayList<>(ZooDefs.Ids.READ_ACL_UNSAFE);
            withNull.add(null);
            assertThatThrownBy(() -> CreateOptions.builder().acl(withNull))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null entries");
            assertThatThrownBy(() -> CreateOptions.builder().acl(List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            // The options' ACL handed to a plain synchronous create, whose ACL check asks contains(null).
            List<ACL> acl = CreateOptions.persistent().acl();
            zk.execute(raw -> raw.create(chroot.resolve("raw"), new byte[0], acl, CreateMode.PERSISTENT))
                    .block(WAIT);
            assertThat(admin.exists(chroot.resolve("raw"), false)).isNotNull();
        }

        @Test
        void theAclIsAppliedToTheNode() throws Exception {
            CreateOptions readOnly = CreateOptions.builder()
                    .acl(org.apache.zookeeper.ZooDefs.Ids.READ_ACL_UNSAFE)
                    .build();
            zk.create("locked", "v", readOnly).block(WAIT);
            assertThat(admin.getACL(chroot.resolve("locked"), null))
                    .isEqualTo(org.apache.zookeeper.ZooDefs.Ids.READ_ACL_UNSAFE);
            StepVerifier.create(zk.setData("locked", "w"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.class)
                            .satisfies(x -> assertThat(((NodeException) x).code())
                                    .isEqualTo(org.apache.zookeeper.KeeperException.Code.NOAUTH))
                            .hasMessageContaining(chroot.resolve("locked")))
                    .verify(WAIT);
        }

        @Test
        void anEmptiedContainerParentIsReapedByTheServer() throws Exception {
            CreateOptions underContainer = CreateOptions.builder()
                    .createParents(true)
                    .parentMode(CreateMode.CONTAINER)
                    .build();
            zk.create("jobs/job-1", "", underContainer).block(WAIT);
            zk.delete("jobs/job-1").block(WAIT);
            Fixtures.awaitTrue(() -> stat("jobs") == null, Duration.ofSeconds(10));
        }

        @Test
        void anExistingNodeFailsWithNodeExistsNamingThePath() {
            zk.create("dup", "1").block(WAIT);
            StepVerifier.create(zk.create("dup", "2"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.NodeExistsException.class)
                            .hasMessageContaining(chroot.resolve("dup"))
                            .extracting(x -> ((NodeException) x).path())
                            .isEqualTo(chroot.resolve("dup")))
                    .verify(WAIT);
        }

        @Test
        void aMissingParentFailsWithNoNodeUnlessParentsAreCreated() throws Exception {
            StepVerifier.create(zk.create("x/y/z", "v"))
                    .expectError(NodeException.NoNodeException.class)
                    .verify(WAIT);
            StepVerifier.create(
                            zk.create("x/y/z", "v", CreateOptions.persistent().withParents()))
                    .expectNext("/x/y/z")
                    .expectComplete()
                    .verify(WAIT);
            assertThat(stat("x/y").getEphemeralOwner()).isZero();
        }

        @Test
        void badOptionsAndDataFailAtCallTime() {
            assertThatThrownBy(() -> CreateOptions.of(CreateMode.PERSISTENT_WITH_TTL))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ttl");
            assertThatThrownBy(() -> zk.create("n", null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining(chroot.resolve("n"));
            assertThatThrownBy(() -> zk.create("bad//path", "v")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class SetAndDelete {

        @Test
        void aVersionedWriteBumpsTheVersionAndAConflictNamesPathAndExpectedVersion() throws Exception {
            zk.create("v", "0").block(WAIT);
            StepVerifier.create(zk.setData("v", "1", 0))
                    .assertNext(s -> assertThat(s.getVersion()).isEqualTo(1))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.setData("v", "2", 0))
                    .expectErrorSatisfies(e -> {
                        assertThat(e)
                                .isInstanceOf(NodeException.BadVersionException.class)
                                .hasMessageContaining(chroot.resolve("v"))
                                .hasMessageContaining("expected version 0");
                        assertThat(((NodeException.BadVersionException) e).expectedVersion())
                                .isZero();
                    })
                    .verify(WAIT);
            assertThat(text("v")).isEqualTo("1");
        }

        @Test
        void valuesAreEncodedAsAsabDoes() throws Exception {
            zk.create("json", new Config("api", 3)).block(WAIT);
            zk.create("text", "žluťoučký").block(WAIT);
            zk.create("raw", new byte[] {0, 1, 2}).block(WAIT);
            zk.create("map", Map.of("k", List.of(1, 2))).block(WAIT);

            StepVerifier.create(zk.getData("json", Config.class))
                    .expectNext(new Config("api", 3))
                    .expectComplete()
                    .verify(WAIT);
            assertThat(text("text")).isEqualTo("žluťoučký");
            assertThat(admin.getData(chroot.resolve("raw"), false, null)).containsExactly(0, 1, 2);
            assertThat(text("map")).isEqualTo("{\"k\":[1,2]}");
            zk.create("sorted", Map.of("b", 2, "a", 1, "c", Map.of("z", 0, "y", 1)))
                    .block(WAIT);
            zk.create("record", new Config("api", 3)).block(WAIT);
            assertThat(text("sorted")).isEqualTo("{\"a\":1,\"b\":2,\"c\":{\"y\":1,\"z\":0}}");
            assertThat(text("record")).isEqualTo("{\"name\":\"api\",\"replicas\":3}");

            zk.setData("json", new Config("api", 5)).block(WAIT);
            StepVerifier.create(zk.getData("json", Config.class))
                    .expectNext(new Config("api", 5))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void setDataOfAMissingNodeFailsWithNoNode() {
            StepVerifier.create(zk.setData("absent", "x"))
                    .expectError(NodeException.NoNodeException.class)
                    .verify(WAIT);
        }

        @Test
        void deleteIsIdempotentButRefusesChildrenAndWrongVersions() throws Exception {
            StepVerifier.create(zk.delete("never-existed")).expectComplete().verify(WAIT);
            zk.create("parent/child", "", CreateOptions.persistent().withParents())
                    .block(WAIT);
            StepVerifier.create(zk.delete("parent"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.NotEmptyException.class)
                            .hasMessageContaining(chroot.resolve("parent")))
                    .verify(WAIT);
            StepVerifier.create(zk.delete("parent/child", 7))
                    .expectError(NodeException.BadVersionException.class)
                    .verify(WAIT);
            StepVerifier.create(zk.delete("parent/child", 0)).expectComplete().verify(WAIT);
            assertThat(stat("parent/child")).isNull();
        }

        @Test
        void deleteRecursiveRemovesAWholeTree() throws Exception {
            for (String path : List.of("tree/a/1", "tree/a/2", "tree/b/1")) {
                zk.create(path, "", CreateOptions.persistent().withParents()).block(WAIT);
            }
            StepVerifier.create(zk.deleteRecursive("tree")).expectComplete().verify(WAIT);
            assertThat(stat("tree")).isNull();
            StepVerifier.create(zk.deleteRecursive("tree")).expectComplete().verify(WAIT);
        }

        @Test
        void upsertCreatesWithParentsThenReplacesAndEnsurePathIsIdempotent() throws Exception {
            StepVerifier.create(zk.upsert("cfg/app/current", Map.of("v", 1)))
                    .assertNext(s -> assertThat(s.getVersion()).isZero())
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.upsert("cfg/app/current", Map.of("v", 2)))
                    .assertNext(s -> assertThat(s.getVersion()).isEqualTo(1))
                    .expectComplete()
                    .verify(WAIT);
            assertThat(text("cfg/app/current")).isEqualTo("{\"v\":2}");

            StepVerifier.create(zk.ensurePath("deep/er/path")).expectComplete().verify(WAIT);
            StepVerifier.create(zk.ensurePath("deep/er/path")).expectComplete().verify(WAIT);
            assertThat(stat("deep/er/path")).isNotNull();
        }
    }

    @Nested
    class Transactions {

        @Test
        void aTransactionAppliesEveryOperation() throws Exception {
            zk.create("t", "0").block(WAIT);
            StepVerifier.create(zk.transaction()
                            .check("t", 0)
                            .setData("t", "1", 0)
                            .create("t/child", Map.of("a", 1))
                            .create("t/seq-", "", CreateOptions.of(CreateMode.PERSISTENT_SEQUENTIAL))
                            .commit())
                    .assertNext(results -> {
                        assertThat(results).hasSize(4);
                        assertThat(results.get(2)).isInstanceOf(OpResult.CreateResult.class);
                        assertThat(((OpResult.CreateResult) results.get(2)).getPath())
                                .as("container-relative, as every other method reports paths")
                                .isEqualTo("/t/child");
                        assertThat(((OpResult.CreateResult) results.get(3)).getPath())
                                .matches("/t/seq-\\d{10}");
                    })
                    .expectComplete()
                    .verify(WAIT);
            assertThat(text("t")).isEqualTo("1");
            assertThat(text("t/child")).isEqualTo("{\"a\":1}");
        }

        @Test
        void aFailedTransactionAppliesNothingAndNamesTheFailingOperation() throws Exception {
            zk.create("r", "0").block(WAIT);
            StepVerifier.create(
                            zk.transaction().create("r/new", "x").check("r", 5).commit())
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.BadVersionException.class)
                            .hasMessageContaining("op 2 of 2, check")
                            .hasMessageContaining(chroot.resolve("r"))
                            .hasMessageContaining("expected version 5"))
                    .verify(WAIT);
            assertThat(stat("r/new")).isNull();
        }

        @Test
        void aTransactionCannotCreateParents() {
            assertThatThrownBy(() -> zk.transaction()
                            .create("p/q", "", CreateOptions.persistent().withParents()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parents");
        }
    }

    @Nested
    class Payloads {

        @Test
        void anOversizedPayloadIsRefusedBeforeSendingAndTheConnectionSurvives() throws Exception {
            zk.create("big", "small").block(WAIT);
            long session = zk.connectionEvent().sessionId();
            byte[] twoMegabytes = new byte[2 * 1024 * 1024];

            assertThatThrownBy(() -> zk.setData("big", twoMegabytes))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining(chroot.resolve("big"))
                    .hasMessageContaining("2097152 bytes")
                    .hasMessageContaining("jute.maxbuffer=1048575")
                    .satisfies(e -> assertThat(((PayloadTooLargeException) e).limit())
                            .isLessThan(1048575)
                            .isGreaterThan(1_040_000));
            assertThatThrownBy(() -> zk.transaction()
                            .setData("big", new byte[600_000], -1)
                            .setData("big", new byte[600_000], -1)
                            .commit())
                    .isInstanceOf(PayloadTooLargeException.class);

            assertThat(zk.isConnected()).isTrue();
            assertThat(zk.connectionEvent().sessionId()).isEqualTo(session);
            assertThat(text("big")).isEqualTo("small");
            StepVerifier.create(zk.setData("big", new byte[1_000_000]))
                    .assertNext(s -> assertThat(s.getDataLength()).isEqualTo(1_000_000))
                    .expectComplete()
                    .verify(WAIT);
        }
    }
}
