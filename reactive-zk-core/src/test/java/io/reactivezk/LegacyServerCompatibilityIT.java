package io.reactivezk;

import io.reactivezk.testkit.ForkedZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link ServerCompatibility} against a ZooKeeper 3.8 server in a JVM of its own: a server of the previous line, which
 * keeps one watch mode per path and session and does not know typed watch removal, and is still common in production.
 * Maven copies its jars (see {@code reactive-zk-core/pom.xml}) and names the directory in the system property {@code
 * reactivezk.legacy-zookeeper.jars}; run elsewhere without it, the class is skipped.
 */
class LegacyServerCompatibilityIT extends ServerCompatibility {

    private @Nullable ForkedZooKeeper server;

    @Override
    String startServer() {
        String jars = System.getProperty("reactivezk.legacy-zookeeper.jars", "");
        Assumptions.assumeTrue(
                !jars.isBlank() && Files.isDirectory(Path.of(jars)),
                "no ZooKeeper 3.8 jars (the system property reactivezk.legacy-zookeeper.jars, set by Maven)");
        server = ForkedZooKeeper.create(Path.of(jars));
        closeAfterAll(server);
        server.start();
        return server.connectString();
    }

    @Override
    int serverWatchCount() {
        return server.watchCount();
    }
}
