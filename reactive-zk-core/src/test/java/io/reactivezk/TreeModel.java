package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tree a tree stream describes, rebuilt from its events, with every event that contradicts what came before (a
 * CREATED for a node already reported, a DELETED or DATA_CHANGED for one absent). For tests of tree streams.
 */
public final class TreeModel implements Consumer<TreeEvent> {

    private final Map<String, Boolean> present = new ConcurrentHashMap<>();
    private final List<String> inconsistencies = new CopyOnWriteArrayList<>();
    private final AtomicInteger initialized = new AtomicInteger();

    @Override
    public void accept(TreeEvent event) {
        switch (event.type()) {
            case RESYNC -> present.clear();
            case INITIALIZED -> initialized.incrementAndGet();
            case PRESENT -> present.put(event.path(), true);
            case CREATED -> {
                if (present.put(event.path(), true) != null) {
                    inconsistencies.add("CREATED again " + event.path());
                }
            }
            case DATA_CHANGED -> {
                if (!present.containsKey(event.path())) {
                    inconsistencies.add("DATA_CHANGED of an absent " + event.path());
                }
            }
            case DELETED -> {
                if (present.remove(event.path()) == null) {
                    inconsistencies.add("DELETED an absent " + event.path());
                }
            }
        }
    }

    /** The paths the stream says exist now, container-relative, sorted. */
    public Set<String> paths() {
        return new TreeSet<>(present.keySet());
    }

    /** The events that contradicted the model. */
    public List<String> inconsistencies() {
        return List.copyOf(inconsistencies);
    }

    /** How many times the tree was (re)read to the end. */
    public int initializedCount() {
        return initialized.get();
    }

    /**
     * Subscribes a tree stream on {@code busy} while a writer creates and changes nodes there (3,000 writes, 8 at a
     * time, on a tree of 300 nodes), and returns the model once it equals the server's tree.
     */
    public static TreeModel ofABusyTree(ZooKeeperContainer zk) {
        Flux.range(0, 300)
                .flatMap(
                        i -> zk.create(
                                "busy/n-" + (i % 10) + "/m-" + i,
                                "0",
                                CreateOptions.persistent().withParents()),
                        16)
                .blockLast(WAIT);
        AtomicInteger written = new AtomicInteger();
        Flux<Object> writer = Flux.range(0, 3_000)
                .flatMap(
                        i -> {
                            String node = "busy/n-" + (i % 10) + "/m-" + (300 + i / 3);
                            Mono<?> change = switch (i % 3) {
                                case 0 -> zk.create(node, "new");
                                case 1 -> zk.setData(node, "changed");
                                default -> zk.setData("busy/n-" + (i % 10) + "/m-" + (i % 300), "v" + i);
                            };
                            // A setData may overtake the create of its node: that write just fails.
                            return change.onErrorResume(NodeException.NoNodeException.class, e -> Mono.empty())
                                    .doOnTerminate(written::incrementAndGet);
                        },
                        8)
                .cast(Object.class);
        TreeModel model = new TreeModel();
        Disposable writing = writer.subscribe();
        Disposable tree = null;
        try {
            await().atMost(WAIT).until(() -> written.get() > 50);
            tree = zk.watchTree("busy").subscribe(model);
            await().atMost(WAIT).until(() -> written.get() == 3_000);
            Set<String> onServer = new TreeSet<>(treeOf(zk, "busy"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(model.paths()).isEqualTo(onServer));
            return model;
        } finally {
            writing.dispose();
            if (tree != null) {
                tree.dispose();
            }
        }
    }

    /** Every path of a subtree, container-relative, as the server has it now. */
    private static List<String> treeOf(ZooKeeperContainer zk, String relative) {
        String top = "/" + relative;
        List<String> paths = new ArrayList<>();
        paths.add(top);
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            for (String child : zk.getChildren(path).blockOptional(WAIT).orElse(List.of())) {
                paths.add(path + "/" + child);
            }
        }
        return paths;
    }
}
