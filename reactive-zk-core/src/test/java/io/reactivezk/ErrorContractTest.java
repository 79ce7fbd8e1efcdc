package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The one rule for errors, input by input: bad arguments are thrown when the method is called (a
 * {@link NullPointerException} for a null, otherwise an {@link IllegalArgumentException} or a subclass), and never
 * reach {@code onError}; what only the server or the session can tell arrives through {@code onError}. Every message
 * names the input.
 */
class ErrorContractTest extends ContainerOnAChroot {

    /** A bean whose getter fails: Jackson cannot write it. */
    public static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    static Stream<Arguments> thrownAtCallTime() {
        return Stream.of(
                row("a null path", zk -> zk.getData(null), NullPointerException.class, "path"),
                row("a '..' segment", zk -> zk.getData("a/../b"), IllegalArgumentException.class, "a/../b"),
                row("a NUL in the path", zk -> zk.create("a\u0000b", "x"), IllegalArgumentException.class, "a"),
                row(
                        "a payload over jute.maxbuffer",
                        zk -> zk.create("big", new byte[2 * 1024 * 1024]),
                        PayloadTooLargeException.class,
                        "/big"),
                row(
                        "a value Jackson cannot write",
                        zk -> zk.create("bad", new Exploding()),
                        IllegalArgumentException.class,
                        "Exploding"),
                row("an Optional", zk -> zk.setData("opt", Optional.of(1)), IllegalArgumentException.class, "Optional"),
                row(
                        "a timeout that is not positive",
                        zk -> zk.connected(Duration.ZERO),
                        IllegalArgumentException.class,
                        "PT0S"),
                row("an empty ACL", zk -> zk.setACL("n", List.of(), -1), IllegalArgumentException.class, "acl"),
                row(
                        "an advertisement that is not an object",
                        zk -> zk.advertise(42, "run/App."),
                        IllegalArgumentException.class,
                        "java.lang.Integer"),
                row(
                        "a transaction create with parents",
                        zk -> zk.transaction()
                                .create("p/q", "x", CreateOptions.persistent().withParents())
                                .commit(),
                        IllegalArgumentException.class,
                        "parents"),
                row(
                        "a null change function",
                        zk -> zk.update("n", Integer.class, null),
                        NullPointerException.class,
                        "change"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("thrownAtCallTime")
    void badArgumentsAreThrownWhenTheMethodIsCalled(
            String input, Function<ZooKeeperContainer, Mono<?>> call, Class<? extends Throwable> type, String named) {
        assertThatThrownBy(() -> call.apply(zk)).as(input).isInstanceOf(type).hasMessageContaining(named);
    }

    static Stream<Arguments> signalledThroughOnError() {
        return Stream.of(
                row(
                        "a write to a missing node",
                        zk -> zk.setData("missing", "x"),
                        NodeException.NoNodeException.class,
                        "/missing"),
                row(
                        "a version conflict",
                        zk -> zk.create("v", "x").then(zk.setData("v", "y", 7)),
                        NodeException.BadVersionException.class,
                        "7"),
                row(
                        "a node that does not hold JSON",
                        zk -> zk.create("text", "not json").then(zk.getData("text")),
                        DataFormatException.class,
                        "/text"),
                row(
                        "an operation on a closed container",
                        zk -> zk.closeAsync().then(zk.getData("any")),
                        ClientClosedException.class,
                        "closed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signalledThroughOnError")
    void whatOnlyTheServerOrTheSessionCanTellArrivesThroughOnError(
            String input, Function<ZooKeeperContainer, Mono<?>> call, Class<? extends Throwable> type, String named) {
        Mono<?> result = call.apply(zk); // does not throw
        StepVerifier.create(result)
                .expectErrorSatisfies(e -> assertThat(e)
                        .as(input)
                        .isInstanceOf(type)
                        .isInstanceOf(ZooKeeperClientException.class)
                        .hasMessageContaining(named))
                .verify(WAIT);
    }

    private static Arguments row(
            String input, Function<ZooKeeperContainer, Mono<?>> call, Class<? extends Throwable> type, String named) {
        return Arguments.of(input, call, type, named);
    }
}
