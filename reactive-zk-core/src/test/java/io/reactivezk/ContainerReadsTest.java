package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static io.reactivezk.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

class ContainerReadsTest extends ContainerOnAChroot {

    record Endpoint(String host, int port) {}

    @Nested
    class Pipelines {

        @Test
        void getChildrenThenGetDataOverAHundredNodes() {
            IntStream.range(0, 100).forEach(i -> seed(chroot.resolve("items/item-" + i), "{\"n\":" + i + "}"));

            Flux<Integer> numbers = zk.getChildren("items")
                    .flatMapMany(Flux::fromIterable)
                    .flatMap(name -> zk.getData("items/" + name))
                    .map(json -> json.get("n").asInt());

            StepVerifier.create(numbers.collectList())
                    .assertNext(list -> assertThat(list)
                            .hasSize(100)
                            .containsExactlyInAnyOrderElementsOf(
                                    IntStream.range(0, 100).boxed().toList()))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void getChildrenReturnsSortedBareNames() {
            seed(chroot.resolve("sorted/b"), "");
            seed(chroot.resolve("sorted/a"), "");
            seed(chroot.resolve("sorted/c"), "");

            StepVerifier.create(zk.getChildren("/sorted/"))
                    .expectNext(List.of("a", "b", "c"))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void getChildrenWithoutArgumentListsTheRoot() {
            seed(chroot.resolve("top"), "");
            StepVerifier.create(zk.getChildren())
                    .expectNext(List.of("top"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getChildren("/"))
                    .expectNext(List.of("top"))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Nested
    class Json {

        @Test
        void typedJsonIsDecodedWithTheServiceMapper() {
            seed(chroot.resolve("endpoint"), "{\"host\":\"10.0.0.1\",\"port\":8080}");
            StepVerifier.create(zk.getData("endpoint", Endpoint.class))
                    .expectNext(new Endpoint("10.0.0.1", 8080))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void anyJsonValueIsReturnedAndAnArrayStaysAnArray() {
            seed(chroot.resolve("array"), "[1,2,3]");
            seed(chroot.resolve("text"), "\"hello\"");
            StepVerifier.create(zk.getData("array"))
                    .assertNext(node -> assertThat(node.isArray()).isTrue())
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getData("text").map(JsonNode::asString))
                    .expectNext("hello")
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void nonJsonDataFailsGetDataWithThePathWhileGetRawDataReturnsTheBytes() {
            seed(chroot.resolve("plain"), "not json {");
            String absolute = chroot.resolve("plain");

            StepVerifier.create(zk.getData("plain"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(DataFormatException.class)
                            .hasMessageContaining(absolute)
                            .extracting(x -> ((DataFormatException) x).path())
                            .isEqualTo(absolute))
                    .verify(WAIT);
            StepVerifier.create(zk.getRawData("plain").map(b -> new String(b, StandardCharsets.UTF_8)))
                    .expectNext("not json {")
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void anEmptyNodeIsNotJsonButHasEmptyRawData() {
            seed(chroot.resolve("empty"), new byte[0]);
            StepVerifier.create(zk.getData("empty"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(DataFormatException.class)
                            .hasMessageContaining("is empty"))
                    .verify(WAIT);
            StepVerifier.create(zk.getRawData("empty"))
                    .assertNext(bytes -> assertThat(bytes).isEmpty())
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void jsonOfTheWrongShapeFailsTheTypedRead() {
            seed(chroot.resolve("wrong"), "[1,2]");
            StepVerifier.create(zk.getData("wrong", Endpoint.class))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(DataFormatException.class)
                            .hasMessageContaining(Endpoint.class.getName()))
                    .verify(WAIT);
        }
    }

    @Nested
    class MissingNodes {

        @Test
        void everyReadCompletesEmptyWhenTheNodeIsMissing() {
            StepVerifier.create(zk.getData("missing")).expectComplete().verify(WAIT);
            StepVerifier.create(zk.getData("missing", Endpoint.class))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getRawData("missing")).expectComplete().verify(WAIT);
            StepVerifier.create(zk.getChildren("missing")).expectComplete().verify(WAIT);
            StepVerifier.create(zk.exists("missing")).expectComplete().verify(WAIT);
        }

        @Test
        void existsReturnsTheStatOfAnExistingNode() {
            seed(chroot.resolve("present"), "12345");
            StepVerifier.create(zk.exists("present"))
                    .assertNext(stat -> assertThat(stat.getDataLength()).isEqualTo(5))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Nested
    class Paths {

        @Test
        void pathsWithAndWithoutALeadingSlashReadTheSameNode() {
            seed(chroot.resolve("services/api"), "{\"v\":1}");
            StepVerifier.create(zk.getData("services/api"))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.getData("/services/api"))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(WAIT);
            assertThat(zk.resolvePath("services/api"))
                    .isEqualTo(zk.resolvePath("/services/api/"))
                    .isEqualTo(chroot.resolve("services/api"));
        }

        @Test
        void invalidPathsThrowAtCallTimeNamingThePath() {
            assertThatThrownBy(() -> zk.getData("a//b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a//b");
            assertThatThrownBy(() -> zk.getRawData("a/../b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a/../b");
            assertThatThrownBy(() -> zk.getChildren("bad\u0000name")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.exists(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("path");
        }

        @Test
        void twoContainersWithDifferentRootsSeeSeparateTrees() {
            ZooKeeperContainer left = service.container(Fixtures.url(chroot) + "/left");
            ZooKeeperContainer right = service.container(Fixtures.url(chroot) + "/right");
            Fixtures.awaitConnected(left);
            Fixtures.awaitConnected(right);
            seed(chroot.resolve("left/only-left"), "1");

            StepVerifier.create(left.getChildren())
                    .expectNext(List.of("only-left"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(right.getChildren())
                    .expectNext(List.of())
                    .expectComplete()
                    .verify(WAIT);
            assertThat(left.connectionEvent().sessionId())
                    .isNotEqualTo(right.connectionEvent().sessionId());
        }

        @Test
        void theRootPathIsCreatedWithItsParentsBeforeConnectedIsEmitted() throws Exception {
            ZooKeeperContainer deep = service.container(Fixtures.url(chroot) + "/deep/er/root");
            Fixtures.awaitConnected(deep);
            assertThat(SharedZooKeeper.adminClient().exists(chroot.resolve("deep/er/root"), false))
                    .isNotNull();
        }
    }

    @Nested
    class BlockingFallback {

        @Test
        void executeRunsOnTheBlockingSchedulerWithTheCurrentHandle() {
            seed(chroot.resolve("sync"), "raw");
            StepVerifier.create(zk.execute(handle -> Thread.currentThread().getName() + "|"
                            + new String(handle.getData(chroot.resolve("sync"), false, null), StandardCharsets.UTF_8)))
                    .assertNext(result -> assertThat(result)
                            .startsWith("reactive-zk-blocking-")
                            .endsWith("|raw"))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void executeTranslatesKeeperExceptions() {
            StepVerifier.create(zk.execute(handle -> handle.getData(chroot.resolve("nope"), false, null)))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.NoNodeException.class)
                            .hasMessageContaining(chroot.resolve("nope")))
                    .verify(WAIT);
        }

        @Test
        void theRawHandleIsTheConnectedSession() {
            assertThat(zk.zooKeeper().getSessionId())
                    .isEqualTo(zk.connectionEvent().sessionId());
        }
    }

    @Nested
    class Closing {

        @Test
        void closeEmitsAFinalLostCompletesTheStreamAndRemovesEphemerals() throws Exception {
            String ephemeral = chroot.resolve("eph");
            zk.execute(handle ->
                            handle.create(ephemeral, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL))
                    .block(WAIT);

            StepVerifier.create(zk.states())
                    .expectNext(ConnectionState.CONNECTED)
                    .then(() -> zk.closeAsync())
                    .expectNext(ConnectionState.LOST)
                    .expectComplete()
                    .verify(WAIT);

            assertThat(SharedZooKeeper.adminClient().exists(ephemeral, false)).isNull();
            StepVerifier.create(zk.closeAsync()).expectComplete().verify(WAIT);
            assertThat(service.containers()).doesNotContain(zk);
        }

        @Test
        void operationsOnAClosedContainerFailAtOnce() {
            zk.closeAsync().block(WAIT);
            StepVerifier.create(zk.getData("x"))
                    .expectError(ClientClosedException.class)
                    .verify(WAIT);
            assertThatThrownBy(zk::zooKeeper).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void aLateSubscriberSeesTheCurrentStateAndTheStreamCompletesAfterClose() {
            zk.closeAsync().block(WAIT);
            StepVerifier.create(zk.states())
                    .expectNext(ConnectionState.LOST)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aClosedServiceRefusesNewContainers() {
            service.close(WAIT);
            assertThatThrownBy(() -> service.container(Fixtures.url(chroot))).isInstanceOf(ClientClosedException.class);
            assertThat(service.blockingScheduler().isDisposed()).isTrue();
        }
    }
}
