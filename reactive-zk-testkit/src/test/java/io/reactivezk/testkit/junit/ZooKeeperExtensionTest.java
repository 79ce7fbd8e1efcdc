package io.reactivezk.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SharedZooKeeper;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ZooKeeperExtension.class)
class ZooKeeperExtensionTest {

    private static EmbeddedEnsemble firstEnsemble;

    @Test
    void sharedServerIsTheSameRunningInstanceEveryTime(EmbeddedZooKeeper server) {
        assertThat(server).isSameAs(SharedZooKeeper.server());
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    void eachTestGetsAFreshEmptyChroot(Chroot first, Chroot second) throws Exception {
        ZooKeeper admin = SharedZooKeeper.adminClient();
        assertThat(first.path()).isNotEqualTo(second.path()).startsWith("/tests/ZooKeeperExtensionTest/");
        assertThat(admin.exists(first.path(), false)).isNotNull();
        assertThat(admin.getChildren(second.path(), false)).isEmpty();
        assertThat(first.connectString()).isEqualTo(SharedZooKeeper.server().connectString() + first.path());
        assertThat(first.resolve("a/b")).isEqualTo(first.path() + "/a/b");
    }

    @Nested
    class WithAnEnsemble {

        @Test
        void theEnsembleServesAndIsSharedWithinTheClass(EmbeddedEnsemble ensemble) {
            assertThat(ensemble.size()).isEqualTo(3);
            ensemble.awaitQuorum(java.time.Duration.ofSeconds(30));
            if (firstEnsemble == null) {
                firstEnsemble = ensemble;
            }
            assertThat(ensemble).isSameAs(firstEnsemble);
        }

        @Test
        void aSecondTestSeesTheSameEnsemble(EmbeddedEnsemble ensemble) {
            if (firstEnsemble == null) {
                firstEnsemble = ensemble;
            }
            assertThat(ensemble).isSameAs(firstEnsemble);
        }
    }
}
