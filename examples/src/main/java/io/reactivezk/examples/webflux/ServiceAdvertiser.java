package io.reactivezk.examples.webflux;

import io.reactivezk.Advertisement;
import io.reactivezk.AsabService;
import io.reactivezk.ZooKeeperContainer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.util.retry.Retry;

/**
 * Advertises this service in ASAB's format ({@code run/<appclass>.<n>}, with its host and port) once the web server
 * listens, and withdraws it on shutdown before the web server stops. Start-up never waits for ZooKeeper and never
 * fails because of it: the advertisement is written whenever ZooKeeper is there, and the container keeps it through
 * session loss.
 */
public final class ServiceAdvertiser implements SmartLifecycle, ApplicationListener<ReactiveWebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ServiceAdvertiser.class);

    /** How long shutdown waits for the withdrawal, at most. */
    private static final Duration WITHDRAW_BOUND = Duration.ofSeconds(10);

    private final ZooKeeperContainer zk;
    private final ReactiveZkProperties properties;
    private final Disposable.Swap advertising = Disposables.swap();
    private volatile boolean running;

    ServiceAdvertiser(ZooKeeperContainer zk, ReactiveZkProperties properties) {
        this.zk = zk;
        this.properties = properties;
    }

    /** The web server listens: advertise its port (the management server's, on a port of its own, is not advertised). */
    @Override
    public void onApplicationEvent(ReactiveWebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            return;
        }
        AsabService me = AsabService.of(properties.appclass(), hostName())
                .withIds(properties.instanceId(), null, null, null)
                .withWeb("0.0.0.0", event.getWebServer().getPort());
        advertising.update(zk.advertise(me, AsabService.path(properties.appclass()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)))
                .subscribe(
                        ad -> log.info("advertised as {}", ad.node().orElse("?")),
                        error -> log.warn("cannot advertise: {}", error.toString())));
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void start() {
        running = true; // the advertisement itself starts when the web server reports its port
    }

    /** Withdraws the advertisement (deletes its node at once) and waits for it, at most {@value}-ish seconds. */
    @Override
    public void stop() {
        running = false;
        advertising.dispose();
        Optional<Advertisement> ad = zk.advertisement(AsabService.path(properties.appclass()));
        if (ad.isPresent()) {
            try {
                ad.get().withdraw().block(WITHDRAW_BOUND);
                log.info("advertisement withdrawn");
            } catch (RuntimeException e) {
                log.warn("could not withdraw the advertisement within {}: {}", WITHDRAW_BOUND, e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Last to start and first to stop: after the web server starts, before its graceful shutdown begins. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
