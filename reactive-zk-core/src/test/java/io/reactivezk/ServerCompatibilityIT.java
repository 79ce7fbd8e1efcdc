package io.reactivezk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link ServerCompatibility} against an embedded server of the ZooKeeper version this project builds on, or against
 * the servers named by the system property {@code reactivezk.it.servers}, for instance a server of another version in
 * its own process:
 *
 * <pre>{@code
 * mvn -B -pl reactive-zk-core -am verify -Dtest=none -Dit.test='ServerCompatibilityIT,KazooInteropIT' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dreactivezk.it.servers=127.0.0.1:2281
 * }</pre>
 */
class ServerCompatibilityIT extends ServerCompatibility {

    private @Nullable NamedOrEmbeddedServer server;

    @Override
    String startServer() {
        server = NamedOrEmbeddedServer.start();
        closeAfterAll(server);
        return server.connectString;
    }

    /** The embedded server's own count, or what the server answers to {@code wchs} (skips if it does not). */
    @Override
    int serverWatchCount() {
        if (server.embedded != null) {
            return server.embedded.watchCount();
        }
        String reply = fourLetterWord(server.connectString, "wchs");
        Matcher total = Pattern.compile("Total watches:(\\d+)").matcher(reply);
        Assumptions.assumeTrue(total.find(), () -> "the server does not answer wchs: " + reply);
        return Integer.parseInt(total.group(1));
    }
}
