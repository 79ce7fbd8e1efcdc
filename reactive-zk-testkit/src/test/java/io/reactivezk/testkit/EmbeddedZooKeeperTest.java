package io.reactivezk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedZooKeeperTest {

    private EmbeddedZooKeeper server;

    @BeforeEach
    void startServer() {
        server = EmbeddedZooKeeper.startNew();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void servesOnLoopbackAndAFixedPort() {
        assertThat(server.connectString()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(server.port()).isPositive();
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    void dataAndSessionSurviveRestartOnTheSamePort() throws Exception {
        int port = server.port();
        try (TestClients client = new TestClients(server.connectString(), 30_000)) {
            client.await(KeeperState.SyncConnected, 10);
            long sessionId = client.zk.getSessionId();
            client.zk.create(
                    "/kept",
                    "value".getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            client.zk.create("/mine", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

            server.restart();

            assertThat(server.port()).isEqualTo(port);
            client.await(KeeperState.Disconnected, 10);
            client.await(KeeperState.SyncConnected, 20);
            assertThat(client.zk.getSessionId()).isEqualTo(sessionId);
            assertThat(new String(client.zk.getData("/kept", false, null), StandardCharsets.UTF_8))
                    .isEqualTo("value");
            Stat ephemeral = client.zk.exists("/mine", false);
            assertThat(ephemeral).isNotNull();
            assertThat(ephemeral.getEphemeralOwner()).isEqualTo(sessionId);
        }
    }

    @Test
    void expireSessionDeletesEphemeralsAndTheClientSeesExpired() throws Exception {
        try (TestClients owner = new TestClients(server.connectString(), 30_000);
                TestClients observer = new TestClients(server.connectString(), 30_000)) {
            owner.await(KeeperState.SyncConnected, 10);
            observer.await(KeeperState.SyncConnected, 10);
            owner.zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

            server.expireSession(owner.zk);

            assertThat(observer.zk.exists("/eph", false)).isNull();
            owner.await(KeeperState.Expired, 20);
        }
    }

    @Test
    void sessionExpirerExpiresASessionThroughASecondHandle() throws Exception {
        try (TestClients owner = new TestClients(server.connectString(), 30_000);
                TestClients observer = new TestClients(server.connectString(), 30_000)) {
            owner.await(KeeperState.SyncConnected, 10);
            observer.await(KeeperState.SyncConnected, 10);
            owner.zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

            SessionExpirer.expire(owner.zk, server.connectString());

            assertThat(observer.zk.exists("/eph", false)).isNull();
            owner.await(KeeperState.Expired, 20);
        }
    }

    @Test
    void watchCountFollowsWatchesSetAndFired() throws Exception {
        try (TestClients client = new TestClients(server.connectString(), 30_000)) {
            client.await(KeeperState.SyncConnected, 10);
            int before = server.watchCount();
            client.zk.create("/watched", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.zk.getData("/watched", event -> {}, null);

            assertThat(server.watchCount()).isEqualTo(before + 1);
            client.zk.setData("/watched", new byte[] {1}, -1);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.watchCount() == before);
        }
    }

    @Test
    void ttlAndContainerNodesAreEnabledAndEmptyContainersAreReaped() throws Exception {
        try (TestClients client = new TestClients(server.connectString(), 30_000)) {
            client.await(KeeperState.SyncConnected, 10);
            Stat stat = new Stat();
            client.zk.create(
                    "/ttl", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 60_000);
            assertThat(stat.getCzxid()).isPositive();

            client.zk.create("/box", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
            client.zk.create("/box/item", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            client.zk.delete("/box/item", -1);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.zk.exists("/box", false) == null);
        }
    }

    @Test
    void stoppedServerRefusesInspectionAndCloseIsIdempotent() {
        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::watchCount)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        server.close();
        server.close();
        assertThatThrownBy(server::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
