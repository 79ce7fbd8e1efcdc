package io.reactivezk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for in-process servers. */
final class Ports {

    private Ports() {}

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process may take it before the caller binds it; callers
     * that bind retry with a new port on failure.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
