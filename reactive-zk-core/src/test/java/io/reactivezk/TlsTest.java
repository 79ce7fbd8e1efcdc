package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * TLS to a server that serves only TLS on its client port, configured per container through its client properties
 * (ZooKeeper's Netty client socket and the client's stores): nothing JVM-wide on the client side.
 */
class TlsTest {

    @TempDir
    static Path stores;

    private static TlsFiles tls;
    private static EmbeddedZooKeeper server;

    @BeforeAll
    static void startATlsServer() {
        tls = TlsFiles.generate(stores);
        server = EmbeddedZooKeeper.builder().tls(tls).build();
        server.start();
    }

    @AfterAll
    static void stopTheServer() {
        server.close();
    }

    private static ZooKeeperService tlsService() {
        ZooKeeperOptions.Builder options = ZooKeeperOptions.builder();
        tls.clientProperties().forEach(options::clientProperty);
        return Fixtures.service(options.build());
    }

    @Test
    void aContainerWithItsOwnTlsPropertiesReadsWritesAndWatchesOverTls() {
        ZooKeeperService service = tlsService();
        try {
            ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + "/tls");
            Fixtures.awaitConnected(zk);
            List<String> seen = new CopyOnWriteArrayList<>();
            zk.create("config", Map.of("v", 1)).block(WAIT);
            Disposable watching = zk.watchData("config").subscribe(snapshot -> seen.add(snapshot.text()));
            try {
                await().atMost(WAIT).until(() -> seen.size() == 1);
                zk.setData("config", Map.of("v", 2)).block(WAIT);
                await().atMost(WAIT).until(() -> seen.size() == 2);
                assertThat(seen).containsExactly("{\"v\":1}", "{\"v\":2}");
                assertThat(zk.getData("config").block(WAIT).get("v").asInt()).isEqualTo(2);
                assertThat(zk.advertise(Map.of("appclass", "Tls"), "run/Tls.")
                                .block(WAIT)
                                .node())
                        .isPresent();
            } finally {
                watching.dispose();
            }
        } finally {
            service.close(WAIT);
        }
    }

    @Test
    void aPlainClientIsNotServedOnTheTlsPort() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper plain = new ZooKeeper(
                server.connectString(),
                10_000,
                event -> {
                    if (event.getState() == KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                },
                new ZKClientConfig());
        try {
            assertThat(connected.await(3, TimeUnit.SECONDS))
                    .as("a plain client connected to a TLS-only port")
                    .isFalse();
        } finally {
            plain.close(1_000);
        }
    }

    @Test
    void theTlsPropertiesOfOneContainerDoNotLeakIntoAnotherServiceOfTheSameJvm() {
        ZooKeeperService plainService = Fixtures.service();
        try {
            ZooKeeperContainer plain = plainService.container("zookeeper://" + server.connectString() + "/tls");
            ZooKeeperService service = tlsService();
            try {
                Fixtures.awaitConnected(service.container("zookeeper://" + server.connectString() + "/tls"));
                assertThat(plain.connectionEvents()
                                .take(Duration.ofSeconds(2))
                                .collectList()
                                .block(WAIT))
                        .extracting(ConnectionEvent::state)
                        .containsOnly(ConnectionState.LOST);
            } finally {
                service.close(WAIT);
            }
        } finally {
            plainService.close(WAIT);
        }
    }
}
