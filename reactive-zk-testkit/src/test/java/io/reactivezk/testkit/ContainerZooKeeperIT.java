package io.reactivezk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Runs only where a Docker engine exists; elsewhere JUnit reports it skipped. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerZooKeeperIT {

    @Test
    void containerServerKeepsDataAcrossStopAndStart() throws Exception {
        try (ContainerZooKeeper server = ContainerZooKeeper.create()) {
            server.start();
            try (TestClients client = new TestClients(server.connectString(), 30_000)) {
                client.await(KeeperState.SyncConnected, 30);
                client.zk.create(
                        "/in-docker",
                        "yes".getBytes(StandardCharsets.UTF_8),
                        ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
            server.restart();
            try (TestClients client = new TestClients(server.connectString(), 30_000)) {
                client.await(KeeperState.SyncConnected, 60);
                assertThat(new String(client.zk.getData("/in-docker", false, null), StandardCharsets.UTF_8))
                        .isEqualTo("yes");
            }
        }
    }
}
