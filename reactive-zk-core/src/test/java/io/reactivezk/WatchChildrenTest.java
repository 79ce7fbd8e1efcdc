package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static io.reactivezk.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.testkit.SharedZooKeeper;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class WatchChildrenTest extends ContainerOnAChroot {

    private final Nodes admin = new Nodes(SharedZooKeeper.adminClient());

    @Test
    void startsWithTheSortedChildrenThenFollowsAddsAndRemovals() {
        String members = chroot.resolve("members");
        seed(members + "/b", "");
        seed(members + "/a", "");

        StepVerifier.create(zk.watchChildren("members"))
                .assertNext(s -> {
                    assertThat(s.children()).containsExactly("a", "b");
                    assertThat(s.exists()).isTrue();
                    assertThat(s.resync()).isFalse();
                    assertThat(s.path()).isEqualTo("/members");
                    assertThat(s.absolutePath()).isEqualTo(members);
                })
                .then(() -> admin.create(members + "/c", ""))
                .assertNext(s -> assertThat(s.children()).containsExactly("a", "b", "c"))
                .then(() -> admin.delete(members + "/a"))
                .assertNext(s -> assertThat(s.children()).containsExactly("b", "c"))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void dataChangesOfTheNodeOrItsChildrenEmitNothing() {
        String members = chroot.resolve("quiet");
        seed(members + "/a", "1");

        StepVerifier.create(zk.watchChildren("quiet").map(ChildrenSnapshot::children))
                .expectNext(List.of("a"))
                .then(() -> admin.set(members, "changed"))
                .then(() -> admin.set(members + "/a", "2"))
                .then(() -> admin.create(members + "/a/grandchild", ""))
                .expectNoEvent(Duration.ofMillis(300))
                .then(() -> admin.create(members + "/b", ""))
                .expectNext(List.of("a", "b"))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void aMissingNodeIsAbsentThenEmptyThenFilled() {
        String group = chroot.resolve("group");

        StepVerifier.create(zk.watchChildren("group"))
                .assertNext(s -> {
                    assertThat(s.exists()).isFalse();
                    assertThat(s.children()).isEmpty();
                    assertThat(s.stat()).isNull();
                })
                .then(() -> admin.create(group, ""))
                .assertNext(s -> {
                    assertThat(s.exists()).isTrue();
                    assertThat(s.children()).isEmpty();
                })
                .then(() -> admin.create(group + "/x", ""))
                .assertNext(s -> assertThat(s.children()).containsExactly("x"))
                .then(() -> admin.deleteTree(group))
                .thenConsumeWhile(ChildrenSnapshot::exists)
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void manyQuickChildrenEndOnTheFullList() {
        String pool = chroot.resolve("pool");
        seed(pool, "");
        List<String> expected =
                IntStream.range(0, 100).mapToObj(i -> String.format("n%03d", i)).toList();

        StepVerifier.create(zk.watchChildren("pool").map(ChildrenSnapshot::children))
                .expectNext(List.of())
                .then(() -> expected.forEach(name -> admin.create(pool + "/" + name, "")))
                .thenConsumeWhile(children -> children.size() < expected.size())
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(WAIT);
        StepVerifier.create(
                        zk.watchChildren("pool").map(ChildrenSnapshot::children).take(1))
                .expectNext(expected)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void dataAndChildrenOfOneNodeWatchedTogether() {
        String node = chroot.resolve("both");
        seed(node, "d1");

        StepVerifier.create(zk.watchChildren("both")
                        .map(s -> "children " + s.children())
                        .mergeWith(zk.watchData("both").map(s -> "data " + s.text())))
                .expectNextCount(2)
                .then(() -> admin.create(node + "/k", ""))
                .expectNext("children [k]")
                .then(() -> admin.set(node, "d2"))
                .expectNext("data d2")
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void theStreamCompletesWhenTheContainerCloses() {
        seed(chroot.resolve("closing/a"), "");
        StepVerifier.create(zk.watchChildren("closing").map(ChildrenSnapshot::children))
                .expectNext(List.of("a"))
                .then(() -> zk.closeAsync().block(WAIT))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void invalidPathsThrowAtCallTime() {
        assertThatThrownBy(() -> zk.watchChildren("a/./b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.watchChildren(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theRootOfTheContainerCanBeWatched() {
        StepVerifier.create(zk.watchChildren("/"))
                .assertNext(s -> {
                    assertThat(s.path()).isEqualTo("/");
                    assertThat(s.absolutePath()).isEqualTo(chroot.path());
                    assertThat(s.children()).isEmpty();
                })
                .then(() -> admin.create(chroot.resolve("top"), ""))
                .assertNext(s -> assertThat(s.children()).containsExactly("top"))
                .thenCancel()
                .verify(WAIT);
    }
}
