package io.reactivezk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedEnsembleIT {

    private static EmbeddedEnsemble ensemble;

    @BeforeAll
    static void startEnsemble() {
        ensemble = EmbeddedEnsemble.startNew(3);
    }

    @AfterAll
    static void closeEnsemble() {
        ensemble.close();
    }

    @BeforeEach
    void everyMemberServes() {
        ensemble.startAll();
        ensemble.awaitQuorum(Duration.ofSeconds(30));
    }

    @Test
    void hasOneLeaderAndADistinctPortPerMember() {
        assertThat(ensemble.size()).isEqualTo(3);
        assertThat(ensemble.leader()).isBetween(0, 2);
        assertThat(ensemble.connectString().split(",")).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void clientOfAStoppedMemberMovesToAnotherWithTheSameSession() throws Exception {
        try (TestClients client = new TestClients(ensemble.connectString(), 30_000)) {
            client.await(KeeperState.SyncConnected, 20);
            long sessionId = client.zk.getSessionId();
            int member = ensemble.memberOf(client.zk);

            ensemble.stop(member);

            client.await(KeeperState.Disconnected, 10);
            client.await(KeeperState.SyncConnected, 30);
            assertThat(client.zk.getSessionId()).isEqualTo(sessionId);
            assertThat(ensemble.memberOf(client.zk)).isNotEqualTo(member);
            assertThat(client.zk.exists("/", false)).isNotNull();
        }
    }

    @Test
    void stoppingTheLeaderElectsAnother() {
        int leader = ensemble.leader();
        ensemble.stop(leader);
        ensemble.awaitQuorum(Duration.ofSeconds(30));
        assertThat(ensemble.leader()).isNotEqualTo(leader);
    }

    @Test
    void quorumLossIsDetectedAndRecoveryKeepsTheSession() throws Exception {
        try (TestClients client = new TestClients(ensemble.connectString(0), 30_000)) {
            client.await(KeeperState.SyncConnected, 20);
            long sessionId = client.zk.getSessionId();

            ensemble.stop(1);
            ensemble.stop(2);

            client.await(KeeperState.Disconnected, 20);
            assertThatThrownBy(() -> ensemble.awaitQuorum(Duration.ofMillis(500)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no serving quorum")
                    .hasMessageContaining("1=stopped");

            ensemble.start(1);
            ensemble.awaitQuorum(Duration.ofSeconds(30));
            client.await(KeeperState.SyncConnected, 30);
            assertThat(client.zk.getSessionId()).isEqualTo(sessionId);
        }
    }

    @Test
    void sessionExpirerExpiresAnEnsembleSessionOnAnyMember() throws Exception {
        try (TestClients owner = new TestClients(ensemble.connectString(0), 30_000);
                TestClients observer = new TestClients(ensemble.connectString(2), 30_000)) {
            owner.await(KeeperState.SyncConnected, 20);
            observer.await(KeeperState.SyncConnected, 20);
            owner.zk.create("/ensemble-eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

            SessionExpirer.expire(owner.zk, ensemble.connectString(1));

            observer.zk.sync("/", (rc, path, ctx) -> {}, null);
            assertThat(observer.zk.exists("/ensemble-eph", false)).isNull();
            owner.await(KeeperState.Expired, 30);
        }
    }
}
