package io.reactivezk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free loopback ports for in-process servers. */
final class Ports {

    /** How many ports the system may offer that this JVM already handed out before giving up. */
    private static final int MAX_ATTEMPTS = 1_000;

    /** Every port handed out in this JVM: servers keep theirs across restarts, so none may be handed out twice. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {}

    /**
     * A port that was free on 127.0.0.1 a moment ago and was never handed out before in this JVM. The system may offer
     * the same free port to consecutive requests (an ensemble member needs three distinct ones), so ports already given
     * are skipped. Another process may take the port before the caller binds it; callers that bind retry with a new
     * port on failure.
     */
    static int freePort() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = systemFreePort();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no port on 127.0.0.1 that this JVM has not handed out already, after " + MAX_ATTEMPTS + " attempts");
    }

    private static int systemFreePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
