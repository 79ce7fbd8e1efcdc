package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SharedZooKeeper;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/** Containers of one service with options of their own, started from the service's. */
@ExtendWith(ZooKeeperExtension.class)
class PerContainerOptionsTest {

    @Test
    void eachContainerWaitsForItsOwnOperationTimeout() {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.builder().build();
        try (ZooKeeperService service = Fixtures.service()) {
            server.start();
            String url = "zookeeper://" + server.connectString() + "/opts";
            server.stop();
            ZooKeeperContainer quick = service.container(
                    ZooKeeperSpec.DEFAULT_SECTION,
                    url,
                    service.options()
                            .mutate()
                            .operationTimeout(Duration.ofMillis(300))
                            .build());
            ZooKeeperContainer patient = service.container(url);

            StepVerifier.create(quick.getData("x"))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(OperationTimeoutException.class)
                            .hasMessageContaining("PT0.3S"))
                    .verify(WAIT);
            StepVerifier.create(patient.getData("x"))
                    .expectSubscription()
                    .as("the other container keeps the service's 10 s")
                    .expectNoEvent(Duration.ofSeconds(1))
                    .thenCancel()
                    .verify(WAIT);
        } finally {
            server.close();
        }
    }

    @Test
    void credentialsAndAclCanDifferPerContainer(Chroot chroot) throws Exception {
        // Not List.of: ZooKeeper's own ACL check asks contains(null), which immutable lists refuse.
        List<ACL> onlyBob = new java.util.ArrayList<>(List.of(
                new ACL(ZooDefs.Perms.ALL, new Id("digest", DigestAuthenticationProvider.generateDigest("bob:pw")))));
        SharedZooKeeper.adminClient()
                .create(
                        chroot.resolve("bobs"),
                        "mine".getBytes(StandardCharsets.UTF_8),
                        onlyBob,
                        CreateMode.PERSISTENT);
        try (ZooKeeperService service = Fixtures.service()) {
            ZooKeeperContainer bob = service.container(
                    ZooKeeperSpec.DEFAULT_SECTION,
                    Fixtures.url(chroot),
                    service.options().mutate().digest("bob", "pw").build());
            ZooKeeperContainer other = service.container(Fixtures.url(chroot));

            assertThat(new String(bob.getRawData("bobs").block(WAIT), StandardCharsets.UTF_8))
                    .isEqualTo("mine");
            StepVerifier.create(other.getRawData("bobs"))
                    .expectErrorSatisfies(e -> assertThat(((NodeException) e).code())
                            .isEqualTo(org.apache.zookeeper.KeeperException.Code.NOAUTH))
                    .verify(WAIT);
        }
    }
}
