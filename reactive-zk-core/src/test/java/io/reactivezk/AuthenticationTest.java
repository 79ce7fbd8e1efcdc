package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Credentials in the options are presented by every session, including the one that replaces an expired session. */
@ExtendWith(ZooKeeperExtension.class)
class AuthenticationTest {

    private ZooKeeperService withCredentials;
    private ZooKeeperService without;
    private Chroot chroot;

    @BeforeEach
    void protectANode(Chroot chroot) throws Exception {
        this.chroot = chroot;
        List<ACL> onlyAlice = new ArrayList<>();
        onlyAlice.add(new ACL(
                ZooDefs.Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("alice:secret"))));
        SharedZooKeeper.adminClient()
                .create(
                        chroot.resolve("vault"),
                        "gold".getBytes(StandardCharsets.UTF_8),
                        onlyAlice,
                        org.apache.zookeeper.CreateMode.PERSISTENT);
        withCredentials = Fixtures.service(
                ZooKeeperOptions.builder().digest("alice", "secret").build());
        without = Fixtures.service();
    }

    @AfterEach
    void close() {
        withCredentials.close(WAIT);
        without.close(WAIT);
    }

    @Test
    void aContainerWithTheDigestReadsAndWritesAProtectedNodeOthersCannot() {
        ZooKeeperContainer alice = withCredentials.container(Fixtures.url(chroot));
        ZooKeeperContainer stranger = without.container(Fixtures.url(chroot));
        Fixtures.awaitConnected(alice);
        Fixtures.awaitConnected(stranger);

        assertThat(new String(alice.getRawData("vault").block(WAIT), StandardCharsets.UTF_8))
                .isEqualTo("gold");
        alice.setData("vault", "silver").block(WAIT);
        assertThatThrownBy(() -> stranger.getRawData("vault").block(WAIT))
                .isInstanceOf(NodeException.class)
                .hasMessageContaining(chroot.resolve("vault"))
                .satisfies(e -> assertThat(((NodeException) e).code()).isEqualTo(KeeperException.Code.NOAUTH));
    }

    @Test
    void theNewSessionAfterAGenuineExpiryPresentsTheCredentialsAgain() {
        ZooKeeperContainer alice = withCredentials.container(Fixtures.url(chroot));
        Fixtures.awaitConnected(alice);
        ConnectionEvent before = alice.connectionEvent();

        SessionExpirer.expire(alice.zooKeeper(), chroot.serverConnectString());
        Fixtures.awaitTrue(() -> alice.isConnected() && alice.connectionEvent().epoch() > before.epoch(), WAIT);

        assertThat(new String(alice.getRawData("vault").block(WAIT), StandardCharsets.UTF_8))
                .isEqualTo("gold");
    }

    @Test
    void theRootAndTheAdvertisementsTakeTheContainersAclAndAStrangerCannotReadThem() throws Exception {
        ZooKeeperService owned = Fixtures.service(ZooKeeperOptions.builder()
                .digest("alice", "secret")
                .acl(ZooDefs.Ids.CREATOR_ALL_ACL)
                .build());
        try {
            String root = chroot.resolve("private/root");
            ZooKeeperContainer alice = owned.container("zookeeper://" + chroot.serverConnectString() + root);
            Fixtures.awaitConnected(alice);
            Advertisement ad = alice.advertise(java.util.Map.of("appclass", "Private"), "run/Private.")
                    .block(WAIT);

            Id aliceId = new Id("digest", DigestAuthenticationProvider.generateDigest("alice:secret"));
            for (String node : List.of(
                    chroot.resolve("private"),
                    root,
                    root + "/run",
                    root + ad.node().orElseThrow())) {
                // getACL needs READ: asked through alice's own handle
                assertThat(alice.zooKeeper().getACL(node, null))
                        .as(node)
                        .containsExactly(new ACL(ZooDefs.Perms.ALL, aliceId));
            }
            ZooKeeperContainer stranger = without.container("zookeeper://" + chroot.serverConnectString() + root);
            Fixtures.awaitConnected(stranger);
            assertThatThrownBy(() -> stranger.getChildren("run").block(WAIT))
                    .isInstanceOf(NodeException.class)
                    .satisfies(e -> assertThat(((NodeException) e).code()).isEqualTo(KeeperException.Code.NOAUTH));
        } finally {
            owned.close(WAIT);
        }
    }

    @Test
    void noLogLineOfAContainerWithCredentialsShowsTheSecret() {
        Logger library = (Logger) LoggerFactory.getLogger("io.reactivezk");
        Level level = library.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        library.addAppender(lines);
        library.setLevel(Level.DEBUG);
        try {
            ZooKeeperContainer alice = withCredentials.container(Fixtures.url(chroot));
            Fixtures.awaitConnected(alice);
            alice.getRawData("vault").block(WAIT);
            SessionExpirer.expire(alice.zooKeeper(), chroot.serverConnectString());
            Fixtures.awaitTrue(
                    () -> alice.isConnected() && alice.connectionEvent().epoch() > 1, WAIT);
            alice.closeAsync().block(WAIT);
        } finally {
            library.detachAppender(lines);
            library.setLevel(level);
        }
        assertThat(lines.list).isNotEmpty();
        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("secret"));
    }

    /**
     * A JAAS configuration without a {@code Client} section (common where Kafka runs too): ZooKeeper's client reports
     * AuthFailed and goes on without SASL. The container must connect once and stay connected, not reopen sessions.
     */
    @Test
    void aJaasConfigurationWithoutAClientSectionIsNotAnAuthenticationFailure(@TempDir Path dir) throws Exception {
        Path jaas = dir.resolve("kafka-only-jaas.conf");
        Files.writeString(
                jaas,
                "KafkaClient {\n  org.apache.kafka.common.security.plain.PlainLoginModule required\n"
                        + "  username=\"u\" password=\"p\";\n};\n");
        // JVM-wide, as ZooKeeper's client reads it (and the JAAS configuration) from the system properties only.
        String jaasKey = "java.security.auth.login.config";
        String previous = System.getProperty(jaasKey);
        System.setProperty(jaasKey, jaas.toString());
        ZooKeeperService jaasService = Fixtures.service();
        try {
            ZooKeeperContainer zk = jaasService.container(Fixtures.url(chroot));
            List<ConnectionEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            reactor.core.Disposable recording = zk.connectionEvents().subscribe(events::add);
            Fixtures.awaitConnected(zk);
            assertThat(zk.getChildren().block(WAIT)).contains("vault");
            // Several reads later it is still the first session: no handle was thrown away.
            for (int i = 0; i < 20; i++) {
                zk.getChildren().block(WAIT);
            }
            recording.dispose();
            assertThat(events)
                    .extracting(ConnectionEvent::state)
                    .containsExactly(ConnectionState.LOST, ConnectionState.CONNECTED);
        } finally {
            jaasService.close(WAIT);
            if (previous == null) {
                System.clearProperty(jaasKey);
            } else {
                System.setProperty(jaasKey, previous);
            }
        }
    }

    @Test
    void credentialsAreCheckedAtOnceAndStayOutOfToString() {
        assertThatThrownBy(() -> ZooKeeperOptions.builder().authentication(" ", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> ZooKeeperOptions.builder().digest("alice", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("alice");
        ZooKeeperOptions options =
                ZooKeeperOptions.builder().digest("alice", "secret").build();
        assertThat(options.toString()).contains("digest").doesNotContain("secret");
        byte[] copy = options.authentications().get(0).auth();
        copy[0] = 'X';
        assertThat(new String(options.authentications().get(0).auth(), StandardCharsets.UTF_8))
                .isEqualTo("alice:secret");
    }
}
