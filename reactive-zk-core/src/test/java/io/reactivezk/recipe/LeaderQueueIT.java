package io.reactivezk.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.ZooKeeperService;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** The herd-free election: candidates queue, each watching only the candidate before it. */
class LeaderQueueIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final int CANDIDATES = 20;

    private EmbeddedZooKeeper server;

    private ZooKeeperService service;

    private final List<ZooKeeperContainer> containers = new ArrayList<>();

    private final List<Disposable> subscriptions = new ArrayList<>();

    private final Map<Integer, Leadership> views = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        server = EmbeddedZooKeeper.startNew();
        service = ZooKeeperService.create(ZooKeeperConfig.empty().withEnvironment(Map.of()));
        for (int i = 0; i < CANDIDATES; i++) {
            int candidate = i;
            ZooKeeperContainer zk = service.container("zookeeper://" + server.connectString() + "/queue");
            containers.add(zk);
            subscriptions.add(LeaderElection.of(zk)
                    .joinQueue("jobs", ("candidate-" + i).getBytes(StandardCharsets.UTF_8))
                    .subscribe(view -> views.put(candidate, view)));
        }
    }

    @AfterEach
    void stop() {
        subscriptions.forEach(Disposable::dispose);
        service.close(WAIT);
        server.close();
    }

    private List<Integer> leaders() {
        return views.entrySet().stream()
                .filter(e -> e.getValue().isLeader())
                .map(Map.Entry::getKey)
                .toList();
    }

    private int awaitOneLeader() {
        await().alias("one leader, every other candidate following")
                .atMost(WAIT)
                .until(() -> leaders().size() == 1
                        && views.size() == CANDIDATES
                        && views.values().stream()
                                        .filter(v -> v.role() == Leadership.Role.FOLLOWER)
                                        .count()
                                == CANDIDATES - 1);
        return leaders().get(0);
    }

    @Test
    void eachCandidateWatchesOnlyItsPredecessorAndTheQueueHandsOverInOrder() {
        int leader = awaitOneLeader();
        assertThat(views.get(leader).leaderText()).isEqualTo("candidate-" + leader);

        List<String> queue = containers.get(0).getChildren("election-queue/jobs").block(WAIT).stream()
                .sorted()
                .toList();
        assertThat(queue).hasSize(CANDIDATES);
        Map<String, Set<Long>> watched = new TreeMap<>();
        server.server().getZKDatabase().getDataTree().getWatchesByPath().toMap().forEach((path, sessions) -> {
            if (path.startsWith("/queue/election-queue/jobs/")) {
                watched.put(path.substring(path.lastIndexOf('/') + 1), sessions);
            }
        });
        // The leader watches its own node (to notice if it is deleted); each follower the node before its own.
        for (int i = 1; i < queue.size(); i++) {
            assertThat(watched.get(queue.get(i - 1)))
                    .as("watchers of %s", queue.get(i - 1))
                    .hasSize(i == 1 ? 2 : 1);
        }
        assertThat(watched)
                .as("the last candidate's node is watched by no one")
                .doesNotContainKey(queue.get(queue.size() - 1));

        subscriptions.get(leader).dispose();
        views.remove(leader);
        await().atMost(WAIT).until(() -> leaders().size() == 1);
        int next = leaders().get(0);
        assertThat(views.get(next).token()).isGreaterThan(0);

        long before = views.get(next).token();
        SessionExpirer.expire(containers.get(next).zooKeeper(), server.connectString());
        await().alias("the next in the queue leads after the leader's session expired")
                .atMost(WAIT)
                .until(() -> leaders().stream().anyMatch(c -> c != next));
        await().atMost(WAIT)
                .until(() -> leaders().size() == 1 && views.get(next).role() == Leadership.Role.FOLLOWER);
        assertThat(views.get(leaders().get(0)).token()).isGreaterThan(before);
    }
}
