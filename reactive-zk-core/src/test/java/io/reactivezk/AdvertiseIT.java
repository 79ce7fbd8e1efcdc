package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.testkit.EmbeddedEnsemble;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.FaultyLink;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Advertisements against servers that lose sessions for real. Measurements go to {@code io.reactivezk.timings}. */
class AdvertiseIT {

    private static final Logger timings = LoggerFactory.getLogger("io.reactivezk.timings");

    /**
     * The nodes under {@code parent}, each with its ephemeral owner, as a second client sees them (after a sync, and
     * riding out a stopped member, see {@link Nodes}).
     */
    static Map<String, Long> owners(ZooKeeper observer, String parent) {
        return new Nodes(observer).call(() -> {
            observer.sync(parent, (rc, path, ctx) -> {}, null);
            return readOwners(observer, parent);
        });
    }

    /** The children of {@code parent} and their ephemeral owners, read once. */
    static Map<String, Long> readOwners(ZooKeeper observer, String parent)
            throws org.apache.zookeeper.KeeperException, InterruptedException {
        Map<String, Long> owners = new java.util.TreeMap<>();
        for (String child : observer.getChildren(parent, false)) {
            Stat stat = observer.exists(parent + "/" + child, false);
            if (stat != null) {
                owners.put(child, stat.getEphemeralOwner());
            }
        }
        return owners;
    }

    @Nested
    class OnAStandaloneServer {

        private EmbeddedZooKeeper server;
        private ZooKeeperService service;
        private ZooKeeper observer;

        @BeforeEach
        void start() {
            server = EmbeddedZooKeeper.startNew();
            observer = SharedZooKeeper.connect(server.connectString());
            service = Fixtures.service();
        }

        @AfterEach
        void stop() throws Exception {
            service.close(WAIT);
            observer.close(2000);
            server.close();
        }

        private ZooKeeperContainer container(String root) {
            ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + root);
            Fixtures.awaitConnected(zk);
            return zk;
        }

        @Test
        void afterAGenuineExpiryExactlyOneNodeComesBackAtOnceEveryTime() throws Exception {
            ZooKeeperContainer zk = container("/svc");
            Advertisement ad =
                    zk.advertise(Map.of("host", "node-1"), "run/App.").block(WAIT);
            List<Long> latencies = new ArrayList<>();
            int duplicates = 0;

            for (int run = 0; run < 10; run++) {
                ConnectionEvent before = zk.connectionEvent();
                List<java.time.Instant> nodeChanges = Collections.synchronizedList(new ArrayList<>());
                Disposable watching = ad.nodes().skip(1).subscribe(node -> nodeChanges.add(java.time.Instant.now()));
                Mono<ConnectionEvent> nextSession = zk.connectionEvents()
                        .filter(e -> e.state() == ConnectionState.CONNECTED && e.epoch() > before.epoch())
                        .next()
                        .cache();
                nextSession.subscribe();

                SessionExpirer.expire(zk.zooKeeper(), server.connectString());

                ConnectionEvent connected = nextSession.block(WAIT);
                Fixtures.awaitTrue(() -> !nodeChanges.isEmpty(), WAIT);
                watching.dispose();
                latencies.add(
                        Duration.between(connected.at(), nodeChanges.get(0)).toNanos() / 1000);

                Map<String, Long> owners = owners(observer, "/svc/run");
                duplicates += owners.size() - 1;
                assertThat(owners).hasSize(1);
                assertThat(owners.values()).containsExactly(connected.sessionId());
                assertThat(ad.node())
                        .contains("/run/" + owners.keySet().iterator().next());
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            timings.info(
                    "re-advertise after expiry, {} runs: median {} µs, min {} µs, max {} µs (from the new session's"
                            + " CONNECTED to the node's re-creation seen by the client); duplicates observed: {}",
                    sorted.size(),
                    sorted.get(sorted.size() / 2),
                    sorted.get(0),
                    sorted.get(sorted.size() - 1),
                    duplicates);
            assertThat(duplicates).isZero();
        }

        @Test
        void fiftyAdvertisementsAllComeBackAfterAnExpiry() throws Exception {
            ZooKeeperContainer zk = container("/many");
            List<Advertisement> ads = Flux.range(0, 50)
                    .flatMap(i -> zk.advertise(Map.of("i", i), "run/svc-" + i + "."))
                    .collectList()
                    .block(WAIT);
            assertThat(owners(observer, "/many/run")).hasSize(50);
            ConnectionEvent before = zk.connectionEvent();

            SessionExpirer.expire(zk.zooKeeper(), server.connectString());
            Fixtures.awaitTrue(() -> zk.connectionEvent().epoch() > before.epoch() && zk.isConnected(), WAIT);
            long session = zk.connectionEvent().sessionId();
            Fixtures.awaitTrue(
                    () -> {
                        Map<String, Long> owners = owners(observer, "/many/run");
                        return owners.size() == 50 && owners.values().stream().allMatch(o -> o == session);
                    },
                    WAIT);

            assertThat(ads).allSatisfy(ad -> assertThat(ad.node()).isPresent());
            assertThat(owners(observer, "/many/run")).hasSize(50);
        }

        @Test
        void aSessionTheClientAbandonedBeforeTheServerExpiredItLeavesNoSecondNode() throws Exception {
            ZooKeeperContainer zk = container("/abandoned");
            Advertisement ad = zk.advertise(Map.of("v", 1), "run/App.").block(WAIT);
            long oldSession = zk.connectionEvent().sessionId();
            String oldNode = ad.node().orElseThrow();

            // The client gives the session up on its own. ZooKeeper's test hook reports the expiry before it marks
            // the handle closed, so closing the abandoned handle may still reach the server and end the old session
            // there; either way exactly one node must remain, owned by the new session. (That the old session's node
            // is replaced while the server keeps the session is proven on an ensemble, where the servers keep it for
            // sure: aNodeOfASessionGivenUpWhileTheServersKeepItIsReplacedWithoutAReaderEverSeeingTwo.)
            zk.zooKeeper().getTestable().injectSessionExpiration();

            // The server commits the swap before the client reads its reply: wait for both to agree.
            Fixtures.awaitTrue(
                    () -> {
                        Map<String, Long> owners = owners(observer, "/abandoned/run");
                        return owners.size() == 1
                                && !owners.containsValue(oldSession)
                                && ad.node().isPresent();
                    },
                    WAIT);
            assertThat(ad.node()).isPresent().get().isNotEqualTo(oldNode);
            String newNode = ad.node().orElseThrow();
            assertThat(owners(observer, "/abandoned/run"))
                    .containsOnlyKeys(newNode.substring(newNode.lastIndexOf('/') + 1));
        }

        @Test
        void anAdvertisementMadeBeforeTheFirstConnectionAppearsRightAfterConnected() throws Exception {
            String connectString = server.connectString();
            server.stop();
            ZooKeeperContainer zk = service.container("zookeeper://" + connectString + "/early");
            Mono<Advertisement> advertised =
                    zk.advertise(Map.of("early", true), "run/App.").cache();

            StepVerifier.create(advertised)
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(300))
                    .then(server::start)
                    .assertNext(ad -> assertThat(ad.node()).isPresent())
                    .expectComplete()
                    .verify(WAIT);
            assertThat(owners(observer, "/early/run")).hasSize(1);
        }

        @Test
        void sequentialCreatesAndAdvertisementsCaughtByASocketDropLeaveNoDuplicates() throws Exception {
            ZooKeeperContainer zk = container("/drop");
            int count = 60;
            AtomicInteger failures = new AtomicInteger();
            Mono<List<String>> creates = Flux.range(0, count)
                    .flatMap(i -> zk.create(
                                    "seq/n-",
                                    "payload-" + i,
                                    CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL)
                                            .withParents())
                            .onErrorResume(e -> {
                                failures.incrementAndGet();
                                return Mono.empty();
                            }))
                    .collectList()
                    .cache();
            Mono<List<Advertisement>> ads = Flux.range(0, count)
                    .flatMap(i -> zk.advertise(Map.of("i", i), "ads/a-" + i + "."))
                    .collectList()
                    .cache();
            Disposable running = Flux.merge(creates, ads).subscribe();
            try {
                zk.zooKeeper().getTestable().closeSocket();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            List<String> created = creates.block(WAIT);
            List<Advertisement> advertised = ads.block(WAIT);
            running.dispose();

            assertThat(failures.get()).isZero();
            Set<String> distinct = new HashSet<>(created);
            assertThat(distinct).hasSize(count);
            assertThat(owners(observer, "/drop/seq")).hasSize(count);
            assertThat(advertised).hasSize(count);
            assertThat(owners(observer, "/drop/ads")).hasSize(count);
        }
    }

    @Nested
    class OnAnEnsemble {

        private EmbeddedEnsemble ensemble;
        private ZooKeeperService service;

        @BeforeEach
        void start() {
            ensemble = EmbeddedEnsemble.startNew(3);
            service = Fixtures.service();
        }

        @AfterEach
        void stop() {
            service.close(WAIT);
            ensemble.close();
        }

        @Test
        void aStoppedMemberChangesNothingAndAnExpiryGivesOneNewNode() throws Exception {
            ZooKeeperContainer zk = service.container("zookeeper://" + ensemble.connectString() + "/svc");
            Fixtures.awaitConnected(zk);
            Advertisement ad =
                    zk.advertise(Map.of("host", "node-1"), "run/App.").block(WAIT);
            String node = ad.node().orElseThrow();
            ZooKeeper observer = SharedZooKeeper.connect(ensemble.connectString());
            try {
                long czxid = new Nodes(observer).stat("/svc" + node).getCzxid();

                StepVerifier.create(zk.states().skip(1).take(2))
                        .then(() -> ensemble.stop(ensemble.memberOf(zk.zooKeeper())))
                        .expectNext(ConnectionState.SUSPENDED, ConnectionState.CONNECTED)
                        .expectComplete()
                        .verify(WAIT);
                zk.getChildren("run").block(WAIT);
                assertThat(ad.node()).contains(node);
                assertThat(owners(observer, "/svc/run")).hasSize(1);
                assertThat(new Nodes(observer).stat("/svc" + node).getCzxid()).isEqualTo(czxid);

                long epoch = zk.connectionEvent().epoch();
                SessionExpirer.expire(zk.zooKeeper(), ensemble.connectString());
                Fixtures.awaitTrue(() -> zk.connectionEvent().epoch() > epoch && zk.isConnected(), WAIT);
                long session = zk.connectionEvent().sessionId();
                Fixtures.awaitTrue(
                        () -> {
                            Map<String, Long> owners = owners(observer, "/svc/run");
                            return owners.size() == 1 && owners.containsValue(session);
                        },
                        WAIT);
            } finally {
                observer.close(2000);
            }
        }

        /**
         * The client gives its session up during a quorum loss, while the servers keep it (they cannot expire sessions
         * without a quorum, and renew them when it is back). The new session's node replaces the old one in one
         * transaction: a reader polling all along never sees two instances, and sees the advertisement again once
         * the new session is there.
         */
        @Test
        void aNodeOfASessionGivenUpWhileTheServersKeepItIsReplacedWithoutAReaderEverSeeingTwo() throws Exception {
            ZooKeeperService shortSessions = ZooKeeperService.create(
                    ZooKeeperConfig.of(Map.of("zookeeper", Map.of("timeout", "4s")))
                            .withEnvironment(Map.of()),
                    ZooKeeperOptions.defaults());
            int member = (ensemble.leader() + 1) % ensemble.size();
            ZooKeeper observer = SharedZooKeeper.connect(ensemble.connectString());
            FaultyLink link = FaultyLink.to(ensemble.connectString(member));
            try {
                ZooKeeperContainer zk = shortSessions.container("zookeeper://" + link.connectString() + "/swap");
                Fixtures.awaitConnected(zk);
                Advertisement ad =
                        zk.advertise(Map.of("host", "node-1"), "run/App.").block(WAIT);
                long oldSession = zk.connectionEvent().sessionId();
                String oldNode = ad.node().orElseThrow();

                ensemble.stopAllBut(member);
                Fixtures.awaitTrue(() -> zk.state() == ConnectionState.LOST, WAIT); // given up, not expired
                link.stall(); // the new session waits until the reader is back and sees the old node
                ensemble.startAll();
                ensemble.awaitQuorum(Duration.ofSeconds(30));
                Fixtures.awaitTrue(
                        () -> {
                            Map<String, Long> owners = ownersOrNull(observer, "/swap/run");
                            return owners != null && owners.containsValue(oldSession);
                        },
                        WAIT);
                link.resume();

                // Poll until the new session's node is the only one.
                int most = 0;
                long polls = 0;
                long deadline = System.nanoTime() + WAIT.toNanos();
                boolean replaced = false;
                while (!replaced && System.nanoTime() < deadline) {
                    Map<String, Long> owners = ownersOrNull(observer, "/swap/run");
                    if (owners == null) {
                        continue;
                    }
                    polls++;
                    most = Math.max(most, owners.size());
                    replaced = owners.size() == 1 && !owners.containsValue(oldSession);
                }
                timings.info(
                        "session given up during a quorum loss: {} polls while the node was replaced, at most {} seen",
                        polls,
                        most);
                assertThat(replaced)
                        .as("the new session's node replaced the old one")
                        .isTrue();
                assertThat(most).as("instances a reader saw at once").isEqualTo(1);
                Fixtures.awaitTrue(() -> ad.node().isPresent(), WAIT);
                assertThat(ad.node()).isNotEqualTo(java.util.Optional.of(oldNode));
            } finally {
                link.close();
                observer.close(2000);
                shortSessions.close(WAIT);
            }
        }

        /** The children and their owners, or null while the observer cannot read (it reconnects after the outage). */
        private Map<String, Long> ownersOrNull(ZooKeeper observer, String parent) {
            try {
                return readOwners(observer, parent);
            } catch (org.apache.zookeeper.KeeperException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
