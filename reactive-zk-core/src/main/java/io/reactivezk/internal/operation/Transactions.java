package io.reactivezk.internal.operation;

import io.reactivezk.ZooKeeperClientException;
import io.reactivezk.internal.codec.Errors;
import java.util.List;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.jspecify.annotations.Nullable;

/** Explains a failed {@code multi}: which op failed, on which path, and why. */
final class Transactions {

    private Transactions() {}

    static ZooKeeperClientException failure(
            Code code, List<Op> ops, @Nullable List<OpResult> results, List<Integer> expectedVersions) {
        if (results != null) {
            for (int i = 0; i < results.size() && i < ops.size(); i++) {
                if (results.get(i) instanceof OpResult.ErrorResult error
                        && error.getErr() != Code.OK.intValue()
                        && error.getErr() != Code.RUNTIMEINCONSISTENCY.intValue()) {
                    Op op = ops.get(i);
                    return Errors.of(
                            Code.get(error.getErr()),
                            "multi (op " + (i + 1) + " of " + ops.size() + ", " + kind(op) + ")",
                            op.getPath(),
                            expectedVersions.get(i));
                }
            }
        }
        String first = ops.isEmpty() ? "/" : ops.get(0).getPath();
        return Errors.of(code, "multi of " + ops.size() + " ops", first);
    }

    private static String kind(Op op) {
        return switch (op.getKind()) {
            case TRANSACTION ->
                switch (op.getType()) {
                    case org.apache.zookeeper.ZooDefs.OpCode.delete -> "delete";
                    case org.apache.zookeeper.ZooDefs.OpCode.setData -> "setData";
                    case org.apache.zookeeper.ZooDefs.OpCode.check -> "check";
                    default -> "create";
                };
            case READ -> "read";
        };
    }
}
