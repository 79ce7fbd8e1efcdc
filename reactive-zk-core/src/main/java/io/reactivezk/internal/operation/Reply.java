package io.reactivezk.internal.operation;

import io.reactivezk.ZooKeeperClientException;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Call} answers: once, with a value (null for "nothing", such as a missing node read as empty) or a
 * failure.
 *
 * @param <T> the result
 */
public interface Reply<T> {

    /**
     * The request succeeded.
     *
     * @param value the result, or null for an empty result
     */
    void success(@Nullable T value);

    /**
     * The request failed.
     *
     * @param error the failure, as {@link io.reactivezk.internal.codec.Errors} translates it
     */
    void failure(ZooKeeperClientException error);

    /**
     * This request cannot finish the operation, but the operation's general path can (for example a create whose
     * parent is missing, when parents are to be created): run it as if this request had not been sent. Only the
     * first request of {@link Operations#call(String, String, boolean, Call, java.util.function.BiFunction)} may
     * answer so.
     */
    void again();

    /**
     * The session of the handle the request went out on.
     *
     * @return the session id
     */
    long sessionId();
}
