package io.reactivezk;

/**
 * The state of a container's connection to ZooKeeper, with Kazoo's (and so ASAB's) meaning.
 *
 * <pre>
 *   LOST --connect--&gt; CONNECTED --connection drops--&gt; SUSPENDED --reconnect, same session--&gt; CONNECTED
 *                                                       SUSPENDED --session expired--&gt; LOST --new session--&gt; CONNECTED
 * </pre>
 */
public enum ConnectionState {

    /**
     * No session: before the first connection, after the session expired (a new one is then opened automatically),
     * and after the container is closed. Ephemeral nodes of the lost session are gone.
     */
    LOST,

    /**
     * The connection dropped but the session may still be alive on the server: operations wait, ephemeral nodes
     * stay, and the state returns to {@link #CONNECTED} if the client reconnects within the session timeout.
     */
    SUSPENDED,

    /** Connected with a live session; operations run. */
    CONNECTED
}
