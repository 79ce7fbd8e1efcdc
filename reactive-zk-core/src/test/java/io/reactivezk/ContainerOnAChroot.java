package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;

import io.reactivezk.testkit.junit.Chroot;
import io.reactivezk.testkit.junit.ZooKeeperExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Set-up shared by the tests that need one connected container: a fresh chroot on the shared server per test, a
 * service whose configuration names no servers, and the container rooted at the chroot, closed after the test.
 */
@ExtendWith(ZooKeeperExtension.class)
abstract class ContainerOnAChroot {

    ZooKeeperService service;
    ZooKeeperContainer zk;
    Chroot chroot;

    @BeforeEach
    final void connectOnAFreshChroot(Chroot chroot) {
        this.chroot = chroot;
        service = Fixtures.service();
        zk = service.container(Fixtures.url(chroot));
        Fixtures.awaitConnected(zk);
    }

    @AfterEach
    final void closeService() {
        service.close(WAIT);
    }
}
