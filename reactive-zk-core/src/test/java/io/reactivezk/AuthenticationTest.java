package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
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
