package io.reactivezk.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.ConnectionLossException;
import io.reactivezk.NodeException;
import io.reactivezk.ReadOnlyServerException;
import io.reactivezk.SessionExpiredException;
import io.reactivezk.ThrottledException;
import io.reactivezk.ZooKeeperClientException;
import java.util.stream.Stream;
import org.apache.zookeeper.KeeperException.Code;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each ZooKeeper result code becomes one exception type, transient or not, whose message names the path. */
class ErrorsTest {

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(Code.CONNECTIONLOSS, ConnectionLossException.class, true),
                Arguments.of(Code.OPERATIONTIMEOUT, ConnectionLossException.class, true),
                Arguments.of(Code.REQUESTTIMEOUT, ConnectionLossException.class, true),
                Arguments.of(Code.SESSIONMOVED, ConnectionLossException.class, true),
                Arguments.of(Code.SESSIONEXPIRED, SessionExpiredException.class, true),
                Arguments.of(Code.THROTTLEDOP, ThrottledException.class, true),
                Arguments.of(Code.NOTREADONLY, ReadOnlyServerException.class, false),
                Arguments.of(Code.NONODE, NodeException.NoNodeException.class, false),
                Arguments.of(Code.NODEEXISTS, NodeException.NodeExistsException.class, false),
                Arguments.of(Code.NOTEMPTY, NodeException.NotEmptyException.class, false),
                Arguments.of(Code.BADVERSION, NodeException.BadVersionException.class, false),
                Arguments.of(Code.NOAUTH, NodeException.class, false),
                Arguments.of(Code.INVALIDACL, NodeException.class, false),
                Arguments.of(Code.NOCHILDRENFOREPHEMERALS, NodeException.class, false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("codes")
    void aResultCodeBecomesItsExceptionNamingThePath(
            Code code, Class<? extends ZooKeeperClientException> type, boolean transientFailure) {
        ZooKeeperClientException error = Errors.of(code, "setData", "/app/node");

        assertThat(error).isExactlyInstanceOf(type).hasMessageContaining("setData /app/node");
        assertThat(error.isTransient()).as("transient").isEqualTo(transientFailure);
        assertThat(Errors.isTransient(error)).isEqualTo(transientFailure);
        if (error instanceof NodeException node) {
            assertThat(node.code()).isEqualTo(code);
            assertThat(node.path()).isEqualTo("/app/node");
        }
    }
}
