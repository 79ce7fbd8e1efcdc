package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SuperUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.zookeeper.KeeperException.Code;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The ensemble's configuration ({@code getConfig}, its watch stream) and dynamic reconfiguration through the admin
 * handle, on an in-process ensemble with {@code reconfigEnabled=true}.
 */
class EnsembleConfigIT {

    private static EmbeddedEnsemble ensemble;
    private static ZooKeeperService service;

    @BeforeAll
    static void startEnsemble() {
        ensemble = EmbeddedEnsemble.create(3).withConfig("reconfigEnabled", "true");
        ensemble.startAll();
        ensemble.awaitQuorum(Duration.ofSeconds(30));
        service = Fixtures.service();
    }

    @AfterAll
    static void stopEnsemble() {
        if (service != null) {
            service.close();
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    /** A super-user container on every member but {@code except}. */
    private static ZooKeeperContainer admin(String root, int except) {
        String servers = IntStream.range(0, ensemble.size())
                .filter(i -> i != except)
                .mapToObj(ensemble::connectString)
                .collect(Collectors.joining(","));
        return service.container(
                ZooKeeperSpec.DEFAULT_SECTION,
                "zookeeper://" + servers + root,
                service.options()
                        .mutate()
                        .authentication(
                                SuperUser.SCHEME, SuperUser.credentials().getBytes(StandardCharsets.UTF_8))
                        .build());
    }

    @Test
    void getConfigListsEveryMemberWhateverTheRootOrChroot() {
        ZooKeeperConfig chrootedServers = ZooKeeperConfig.of(
                        Map.of("zookeeper", Map.of("servers", ensemble.connectString() + "/chrooted")))
                .withEnvironment(Map.of());
        try (ZooKeeperContainer plain = service.container("zookeeper://" + ensemble.connectString() + "/cfg");
                ZooKeeperService onAChroot = ZooKeeperService.create(chrootedServers, ZooKeeperOptions.defaults());
                ZooKeeperContainer chrooted = onAChroot.container()) {
            assertThat(chrooted.spec().connectString()).endsWith("/chrooted");
            EnsembleConfig config = plain.getConfig().block(WAIT);
            assertThat(config).isNotNull();
            assertThat(config.members()).extracting(EnsembleConfig.Member::id).containsExactly(1L, 2L, 3L);
            assertThat(config.members()).allSatisfy(member -> {
                assertThat(member.isParticipant()).isTrue();
                assertThat(member.clientAddress()).startsWith("127.0.0.1:");
                assertThat(member.addresses()).matches("127\\.0\\.0\\.1:\\d+:\\d+");
            });
            assertThat(config.version()).isPositive();
            assertThat(config.text()).contains("server.1=").contains("version=" + Long.toHexString(config.version()));
            assertThat(chrooted.getConfig().block(WAIT)).isEqualTo(config);
        }
    }

    @Test
    void reconfigurationIsSeenByTheWatchStreamAndGuardedByTheVersion() {
        // A follower leaves (a leader that leaves hands over, and every client reconnects), and the container
        // talks to the others, so that the change itself is the only thing that happens.
        int follower = (ensemble.leader() + 1) % ensemble.size();
        long id = follower + 1;
        try (ZooKeeperContainer zk = admin("/reconfig", follower)) {
            EnsembleConfig before = zk.getConfig().block(WAIT);
            assertThat(before).isNotNull();
            EnsembleConfig.Member leaving = before.member(id).orElseThrow();

            StepVerifier.create(zk.watchConfig())
                    .as("the current configuration first")
                    .expectNext(before)
                    .then(() -> zk.reconfig(List.of(), List.of(id), before.version())
                            .block(WAIT))
                    .assertNext(without -> {
                        assertThat(without.members())
                                .extracting(EnsembleConfig.Member::id)
                                .hasSize(2)
                                .doesNotContain(id);
                        assertThat(without.version()).isGreaterThan(before.version());
                    })
                    .thenCancel()
                    .verify(WAIT);

            EnsembleConfig shrunk = zk.getConfig().block(WAIT);
            assertThat(shrunk).isNotNull();
            assertThat(shrunk.member(id)).isEmpty();

            StepVerifier.create(
                            zk.reconfig(List.of("server." + id + "=" + leaving.spec()), List.of(), before.version()))
                    .as("a change based on a configuration that is gone is refused")
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(NodeException.BadVersionException.class)
                            .hasMessageContaining("no longer at version " + Long.toHexString(before.version())))
                    .verify(WAIT);

            StepVerifier.create(
                            zk.reconfig(List.of("server." + id + "=" + leaving.spec()), List.of(), shrunk.version()))
                    .assertNext(back -> assertThat(back.members())
                            .extracting(EnsembleConfig.Member::id)
                            .containsExactly(1L, 2L, 3L))
                    .expectComplete()
                    .verify(WAIT);
            ensemble.awaitQuorum(Duration.ofSeconds(30));
        }
    }

    @Test
    void reconfigurationWithoutTheRightsIsRefusedNamingThem() {
        try (ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString() + "/noauth")) {
            StepVerifier.create(zk.reconfig(List.of(), List.of(3L), -1))
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOfSatisfying(
                                    NodeException.class,
                                    n -> assertThat(n.code()).isEqualTo(Code.NOAUTH))
                            .hasMessageContaining("super user or WRITE on /zookeeper/config"))
                    .verify(WAIT);
            EnsembleConfig config = zk.getConfig().block(WAIT);
            assertThat(config).isNotNull();
            assertThat(config.member(3)).as("nothing changed").isPresent();
        }
    }

    @Test
    void badArgumentsAreThrownAtCallTime() {
        try (ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString())) {
            assertThatThrownBy(() -> zk.reconfig(List.of(), List.of(), -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nothing to change");
            assertThatThrownBy(() -> zk.reconfig(List.of("127.0.0.1:2888:3888"), List.of(), -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'127.0.0.1:2888:3888' is not one server line");
            assertThatThrownBy(() -> zk.reconfig(List.of("server.4=a:1:2;3,server.5=b:1:2;3"), List.of(), -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not one server line");
            assertThatThrownBy(() -> zk.reconfig(List.of(), List.of(-2L), -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-2");
            assertThatThrownBy(() -> zk.reconfigMembers(List.of(), -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> zk.reconfig(List.of(), List.of(3L), -5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fromVersion");
        }
    }

    @Test
    void aStandaloneServerHasAnEmptyConfigurationAndCannotBeReconfigured() {
        try (EmbeddedZooKeeper standalone = EmbeddedZooKeeper.builder().build();
                ZooKeeperService own = Fixtures.service()) {
            standalone.start();
            ZooKeeperContainer zk = own.container(
                    ZooKeeperSpec.DEFAULT_SECTION,
                    "zookeeper://" + standalone.connectString(),
                    own.options()
                            .mutate()
                            .authentication(
                                    SuperUser.SCHEME, SuperUser.credentials().getBytes(StandardCharsets.UTF_8))
                            .build());
            StepVerifier.create(zk.getConfig())
                    .assertNext(config -> assertThat(config.members()).isEmpty())
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(zk.reconfig(List.of(), List.of(1L), -1))
                    .expectErrorSatisfies(
                            e -> assertThat(e).isInstanceOf(NodeException.class).hasMessageContaining("reconfig: "))
                    .verify(WAIT);
            StepVerifier.create(zk.watchConfig())
                    .expectNextCount(1)
                    .as("the stream ends when the container closes")
                    .then(zk::close)
                    .expectComplete()
                    .verify(WAIT);
        }
    }
}
