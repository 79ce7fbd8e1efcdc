package io.reactivezk.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.TreeModel;
import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * More changes during a tree's initial read than {@link TreeWatch} holds in order: it keeps the latest change of each
 * node instead of reading the tree again (which, on a busy tree, could repeat for ever).
 */
@ExtendWith(ZooKeeperExtension.class)
class TreeWatchHeldEventsTest {

    private final ZooKeeperService service =
            ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()));

    @AfterEach
    void restore() {
        TreeWatch.maxHeldEvents = TreeWatch.MAX_HELD_EVENTS;
        service.close(Duration.ofSeconds(20));
    }

    @Test
    void changesPastTheHeldLimitAreFoldedPerNodeAndTheReadIsNotStartedAgain(Chroot chroot) {
        TreeWatch.maxHeldEvents = 3;
        ZooKeeperContainer zk = service.container("zookeeper://" + chroot.serverConnectString() + chroot.path());

        TreeModel model = TreeModel.ofABusyTree(zk);

        assertThat(model.inconsistencies()).isEmpty();
        assertThat(model.initializedCount()).as("one read, never started again").isEqualTo(1);
    }
}
