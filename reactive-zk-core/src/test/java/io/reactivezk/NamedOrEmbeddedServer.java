package io.reactivezk;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import org.jspecify.annotations.Nullable;

/**
 * The server an interoperability test runs against: the one named by the system property {@code
 * reactivezk.it.servers} (a connect string), or else an embedded server started for the test class.
 */
final class NamedOrEmbeddedServer implements AutoCloseable {

    final String connectString;
    final @Nullable EmbeddedZooKeeper embedded;

    private NamedOrEmbeddedServer(String connectString, @Nullable EmbeddedZooKeeper embedded) {
        this.connectString = connectString;
        this.embedded = embedded;
    }

    static NamedOrEmbeddedServer start() {
        String named = System.getProperty("reactivezk.it.servers", "");
        if (!named.isBlank()) {
            return new NamedOrEmbeddedServer(named.trim(), null);
        }
        EmbeddedZooKeeper server = EmbeddedZooKeeper.startNew();
        return new NamedOrEmbeddedServer(server.connectString(), server);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
