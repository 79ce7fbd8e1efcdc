package io.reactivezk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ZooKeeper 3.8 server in its own JVM, from the jars Maven copies (see the parent POM). */
class ForkedZooKeeperIT {

    private static Path jars;

    @BeforeAll
    static void jars() {
        String configured = System.getProperty("reactivezk.legacy-zookeeper.jars", "");
        Assumptions.assumeTrue(
                !configured.isBlank() && Files.isDirectory(Path.of(configured)),
                "no ZooKeeper 3.8 jars (the system property reactivezk.legacy-zookeeper.jars, set by Maven)");
        jars = Path.of(configured);
    }

    @Test
    void servesAnotherZooKeeperVersionAndKeepsDataAndPortAcrossRestart() throws Exception {
        try (ForkedZooKeeper server = ForkedZooKeeper.create(jars)) {
            server.start();
            String connectString = server.connectString();
            assertThat(server.version()).startsWith("3.8.");
            assertThat(server.fourLetterWord("srvr")).contains("Zookeeper version: " + server.version());
            try (TestClients client = new TestClients(connectString, 30_000)) {
                client.await(KeeperState.SyncConnected, 30);
                client.zk.create(
                        "/forked",
                        "kept".getBytes(StandardCharsets.UTF_8),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
                int before = server.watchCount();
                client.zk.addWatch("/forked", event -> {}, AddWatchMode.PERSISTENT_RECURSIVE);
                assertThat(server.watchCount()).isEqualTo(before + 1);
                client.zk.removeAllWatches("/forked", Watcher.WatcherType.Any, false);
                assertThat(server.watchCount()).isEqualTo(before);
            }

            server.restart();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.connectString()).isEqualTo(connectString);
            try (TestClients client = new TestClients(connectString, 30_000)) {
                client.await(KeeperState.SyncConnected, 30);
                assertThat(new String(client.zk.getData("/forked", false, null), StandardCharsets.UTF_8))
                        .isEqualTo("kept");
            }
            server.stop();
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void aDirectoryWithoutZooKeeperIsRefusedByName(@TempDir Path empty) {
        assertThatThrownBy(() -> ForkedZooKeeper.create(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zookeeper-<version>.jar")
                .hasMessageContaining(empty.toString());
    }
}
