package io.reactivezk.testkit;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A ZooKeeper server in a Docker container (the official {@code zookeeper} image), for tests against a server process
 * that is not the test JVM. Needs Testcontainers on the class path and a Docker engine; check
 * {@link #isDockerAvailable()} first, or use Testcontainers' {@code @Testcontainers(disabledWithoutDocker = true)}.
 *
 * <p>{@link #stop()} and {@link #start()} stop and start the same container, so its data survives; Docker may map the
 * client port to another host port after a restart, so read {@link #connectString()} again after starting.
 */
public final class ContainerZooKeeper implements ZooKeeperTestServer {

    /** The image used by {@link #create()}: the official image of the ZooKeeper line this project builds on. */
    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("zookeeper:3.9");

    private static final Logger log = LoggerFactory.getLogger(ContainerZooKeeper.class);
    private static final int CLIENT_PORT = 2181;

    private final GenericContainer<?> container;
    private boolean stopped;

    private ContainerZooKeeper(DockerImageName image) {
        this.container = new GenericContainer<>(image)
                .withExposedPorts(CLIENT_PORT)
                .withEnv("ZOO_ADMINSERVER_ENABLED", "false")
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(2)));
    }

    /**
     * Whether a Docker engine is reachable (Testcontainers' own check).
     *
     * @return {@code true} if containers can be started here
     */
    public static boolean isDockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * A server from {@link #DEFAULT_IMAGE}, not yet started.
     *
     * @return the server
     */
    public static ContainerZooKeeper create() {
        return create(DEFAULT_IMAGE);
    }

    /**
     * A server from the given image, not yet started.
     *
     * @param image an image compatible with the official {@code zookeeper} image
     * @return the server
     */
    public static ContainerZooKeeper create(DockerImageName image) {
        return new ContainerZooKeeper(image);
    }

    @Override
    public synchronized String connectString() {
        if (!container.isRunning()) {
            throw new IllegalStateException("the ZooKeeper container is not running");
        }
        return container.getHost() + ":" + container.getMappedPort(CLIENT_PORT);
    }

    @Override
    public synchronized void start() {
        if (container.getContainerId() == null) {
            container.start();
        } else if (stopped) {
            container
                    .getDockerClient()
                    .startContainerCmd(container.getContainerId())
                    .exec();
            stopped = false;
            Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(1)).waitUntilReady(container);
        }
        log.info("ZooKeeper container serving on {}", connectString());
    }

    @Override
    public synchronized void stop() {
        if (container.getContainerId() != null && !stopped) {
            container
                    .getDockerClient()
                    .stopContainerCmd(container.getContainerId())
                    .exec();
            stopped = true;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return container.getContainerId() != null && !stopped && container.isRunning();
    }

    @Override
    public synchronized void close() {
        try {
            container.stop();
        } catch (RuntimeException e) {
            log.warn("ZooKeeper container did not stop cleanly: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "ContainerZooKeeper[" + container.getDockerImageName() + "]";
    }
}
