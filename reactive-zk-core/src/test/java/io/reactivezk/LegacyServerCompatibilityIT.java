package io.reactivezk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.ForkedZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.CreateMode;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * {@link ServerCompatibility} against a ZooKeeper 3.8 server in a JVM of its own: a server of the previous line, which
 * keeps one watch mode per path and session and does not know typed watch removal, and is still common in production.
 * Maven copies its jars (see {@code reactive-zk-core/pom.xml}) and names the directory in the system property {@code
 * reactivezk.legacy-zookeeper.jars}; run elsewhere without it, the class is skipped.
 */
class LegacyServerCompatibilityIT extends ServerCompatibility {

    private @Nullable ForkedZooKeeper server;

    private static Path jars() {
        String jars = System.getProperty("reactivezk.legacy-zookeeper.jars", "");
        Assumptions.assumeTrue(
                !jars.isBlank() && Files.isDirectory(Path.of(jars)),
                "no ZooKeeper 3.8 jars (the system property reactivezk.legacy-zookeeper.jars, set by Maven)");
        return Path.of(jars);
    }

    @Override
    String startServer() {
        server = ForkedZooKeeper.create(jars());
        closeAfterAll(server);
        server.start();
        return server.connectString();
    }

    @Override
    int serverWatchCount() {
        return server.watchCount();
    }

    @Test
    void aCrashedServerThatComesBackWithinTheSessionTimeoutKeepsTheSessionTheAdvertisementAndTheStreams() {
        ZooKeeperService service = Fixtures.service();
        try (ForkedZooKeeper crashing = ForkedZooKeeper.create(jars())) {
            crashing.start();
            ZooKeeperContainer zk = service.container("zookeeper://" + crashing.connectString() + "/crash");
            Fixtures.awaitConnected(zk);
            long session = zk.connectionEvent().sessionId();
            zk.create("config", "before").block(Fixtures.WAIT);
            Advertisement ad = zk.advertise(Map.of("host", "h"), "run/App.").block(Fixtures.WAIT);
            String node = ad.node().orElseThrow();
            List<String> values = new CopyOnWriteArrayList<>();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            Disposable watching = Disposables.composite(
                    zk.watchData("config").subscribe(s -> values.add(s.text())),
                    zk.states().subscribe(states::add));
            try {
                await().atMost(Fixtures.WAIT).until(() -> values.equals(List.of("before")));

                crashing.kill();
                await().atMost(Fixtures.WAIT).until(() -> zk.state() == ConnectionState.SUSPENDED);
                crashing.start();
                await().atMost(Fixtures.WAIT).until(zk::isConnected);
                zk.setData("config", "after").block(Fixtures.WAIT);

                await().atMost(Fixtures.WAIT).until(() -> values.equals(List.of("before", "after")));
                assertThat(zk.connectionEvent().sessionId()).as("same session").isEqualTo(session);
                assertThat(states)
                        .containsSubsequence(
                                ConnectionState.CONNECTED, ConnectionState.SUSPENDED, ConnectionState.CONNECTED);
                assertThat(states).doesNotContain(ConnectionState.LOST);
                assertThat(ad.node()).contains(node);
                assertThat(zk.exists(node).block(Fixtures.WAIT).getEphemeralOwner())
                        .isEqualTo(session);
            } finally {
                watching.dispose();
            }
        } finally {
            service.close(Fixtures.WAIT);
        }
    }

    @Test
    void aServerWithoutExtendedTypesRefusesTtlNodesWithAnErrorSayingWhy() {
        ZooKeeperService service = Fixtures.service();
        try (ForkedZooKeeper plain = ForkedZooKeeper.create(jars()).withConfig("extendedTypesEnabled", "false")) {
            plain.start();
            ZooKeeperContainer zk = service.container("zookeeper://" + plain.connectString() + "/ttl");
            Fixtures.awaitConnected(zk);
            CreateOptions ttl = CreateOptions.builder()
                    .mode(CreateMode.PERSISTENT_WITH_TTL)
                    .ttl(Duration.ofMinutes(1))
                    .build();

            assertThatThrownBy(() -> zk.create("node", "x", ttl).block(Fixtures.WAIT))
                    .isInstanceOf(NodeException.class)
                    .hasMessageContaining("/ttl/node")
                    .hasMessageContaining("zookeeper.extendedTypesEnabled=true");
            assertThat(zk.create("node", "x").block(Fixtures.WAIT)).isEqualTo("/node");
        } finally {
            service.close(Fixtures.WAIT);
        }
    }
}
