package io.reactivezk.testkit.junit;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SharedZooKeeper;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests real ZooKeeper servers through parameters of their constructors, lifecycle and test methods:
 *
 * <ul>
 *   <li>{@link EmbeddedZooKeeper}: the standalone server shared by the whole JVM ({@link SharedZooKeeper}); do not
 *       stop it.
 *   <li>{@link EmbeddedEnsemble}: an ensemble created for the test class (shared by its nested classes) and closed
 *       after it; its size comes from {@link EnsembleSize}, 3 by default. Tests may stop and start its members.
 *   <li>{@link Chroot}: a fresh empty node on the shared server, created for the one test that asks for it.
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(ZooKeeperExtension.class)
 * class ReadsTest {
 *     @Test
 *     void readsWhatWasWritten(Chroot chroot) { ... }
 * }
 * }</pre>
 */
public final class ZooKeeperExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ZooKeeperExtension.class);
    private static final AtomicLong CHROOT_SEQUENCE = new AtomicLong();

    /** Created by JUnit. */
    public ZooKeeperExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedZooKeeper.class || type == EmbeddedEnsemble.class || type == Chroot.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedZooKeeper.class) {
            return SharedZooKeeper.server();
        }
        if (type == EmbeddedEnsemble.class) {
            ExtensionContext classContext = outermostClassContext(context);
            int size = classContext.getRequiredTestClass().isAnnotationPresent(EnsembleSize.class)
                    ? classContext
                            .getRequiredTestClass()
                            .getAnnotation(EnsembleSize.class)
                            .value()
                    : 3;
            return classContext
                    .getStore(NAMESPACE)
                    .getOrComputeIfAbsent(
                            EmbeddedEnsemble.class, key -> EmbeddedEnsemble.startNew(size), EmbeddedEnsemble.class);
        }
        if (type == Chroot.class) {
            return createChroot(context);
        }
        throw new ParameterResolutionException("unsupported parameter type " + type.getName());
    }

    private static Chroot createChroot(ExtensionContext context) {
        String testClass = context.getTestClass().map(Class::getSimpleName).orElse("test");
        String testName = context.getTestMethod().map(m -> m.getName()).orElse("class");
        String path = "/tests/" + testClass + "/" + testName + "-" + CHROOT_SEQUENCE.incrementAndGet();
        ZooKeeper admin = SharedZooKeeper.adminClient();
        try {
            admin.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NoNodeException e) {
            createParents(admin, path);
        } catch (KeeperException e) {
            throw new ParameterResolutionException("cannot create chroot " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("interrupted while creating chroot " + path, e);
        }
        return new Chroot(SharedZooKeeper.server().connectString(), path);
    }

    private static void createParents(ZooKeeper admin, String path) {
        int from = 1;
        while (from > 0) {
            int next = path.indexOf('/', from);
            String prefix = next < 0 ? path : path.substring(0, next);
            try {
                admin.create(prefix, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException ignored) {
                // created by an earlier test
            } catch (KeeperException e) {
                throw new ParameterResolutionException("cannot create chroot " + path, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ParameterResolutionException("interrupted while creating chroot " + path, e);
            }
            from = next < 0 ? -1 : next + 1;
        }
    }

    private static ExtensionContext outermostClassContext(ExtensionContext context) {
        ExtensionContext outermost = context;
        for (ExtensionContext current = context; ; ) {
            if (current.getTestClass().isPresent() && current.getTestMethod().isEmpty()) {
                outermost = current;
            }
            ExtensionContext parent = current.getParent().orElse(null);
            if (parent == null) {
                return outermost;
            }
            current = parent;
        }
    }
}
