package io.reactivezk;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a container's {@link ConnectionState}, with what a user needs to tell a same-session reconnect from a
 * new session.
 *
 * @param container the container's name, as {@link ZooKeeperContainer#name()}
 * @param state the new state
 * @param sessionId the ZooKeeper session id the state is about, 0 before the first session
 * @param epoch 1 for the container's first session, incremented for each new session, 0 before the first
 * @param readOnly whether the connection is to a read-only server (only with
 *     {@link ZooKeeperOptions#canBeReadOnly()})
 * @param at when the container saw the change
 */
public record ConnectionEvent(
        String container, ConnectionState state, long sessionId, long epoch, boolean readOnly, Instant at) {

    /**
     * Checks the components.
     *
     * @param container the container's name
     * @param state the state
     * @param sessionId the session id
     * @param epoch the session epoch
     * @param readOnly read-only flag
     * @param at the time
     */
    public ConnectionEvent {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /**
     * The session id in ZooKeeper's usual hexadecimal form.
     *
     * @return for example {@code 0x1000a2b3c4d0000}
     */
    public String sessionIdHex() {
        return "0x" + Long.toHexString(sessionId);
    }

    @Override
    public String toString() {
        return container + " " + state + (readOnly ? " (read-only)" : "") + " session " + sessionIdHex() + " epoch "
                + epoch;
    }
}
