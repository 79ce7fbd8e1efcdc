package io.reactivezk;

import static io.reactivezk.Fixtures.WAIT;
import static io.reactivezk.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@code [general] include=zookeeper://...}: configuration nodes read from the shared server, in each format and URL
 * form ASAB reads, merged in include order, and the containers built from the result.
 */
class ZooKeeperIncludeTest extends ContainerOnAChroot {

    @TempDir
    Path directory;

    private ZooKeeperConfig.Loader loader;

    @BeforeEach
    void loaderInTheTemporaryDirectory() {
        loader = ZooKeeperConfig.loader().environment(Map.of()).workingDirectory(directory);
    }

    private Path file(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private ZooKeeperConfig load(Path main) {
        ZooKeeperConfig[] result = new ZooKeeperConfig[1];
        StepVerifier.create(loader.loadAsync(main, service))
                .consumeNextWith(config -> result[0] = config)
                .expectComplete()
                .verify(WAIT);
        return result[0];
    }

    @Test
    void anIniNodeIsMergedAndTheContainerBuiltFromTheResultUsesIt() throws IOException {
        seed(chroot.resolve("etc/site.conf"), "[zookeeper]\npath=" + chroot.resolve("app") + "\n[app]\nkey=zk\n");
        Path main = file(
                "main.conf",
                "[zookeeper]\nservers=" + chroot.serverConnectString() + "\npath=/unused\n"
                        + "[general]\ninclude=zookeeper://" + chroot.serverConnectString()
                        + chroot.resolve("etc/site.conf")
                        + "\n");

        ZooKeeperConfig config = load(main);

        assertThat(config.get("zookeeper", "path")).hasValue(chroot.resolve("app"));
        assertThat(config.get("app", "key")).hasValue("zk");
        assertThat(config.sources())
                .containsExactly(
                        main.toString(),
                        "zookeeper://" + chroot.serverConnectString() + chroot.resolve("etc/site.conf"));
        try (ZooKeeperService configured = ZooKeeperService.create(config)) {
            ZooKeeperContainer container = configured.container();
            assertThat(container.spec().rootPath()).isEqualTo(chroot.resolve("app"));
            StepVerifier.create(container
                            .create("/written", "{\"by\":\"included config\"}".getBytes(StandardCharsets.UTF_8))
                            .then(zk.getRawData("/app/written")))
                    .assertNext(data ->
                            assertThat(new String(data, StandardCharsets.UTF_8)).contains("included"))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Test
    void aJsonNodeWithoutServersInItsUrlIsReadFromTheConfiguredServers() throws IOException {
        seed(chroot.resolve("etc/site.json"), """
                {"zookeeper": {"path": "/json-root"}, "app": {"port": 8080, "enabled": true, "Name": "svc"}}
                """);
        Path main = file(
                "main.conf",
                "[zookeeper]\nservers=" + chroot.serverConnectString() + "\n" + "[general]\ninclude=zookeeper://"
                        + chroot.resolve("etc/site.json") + "\n");

        ZooKeeperConfig config = load(main);

        assertThat(config.section("app"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("port", "8080", "enabled", "True", "name", "svc"));
        assertThat(config.get("zookeeper", "path")).hasValue("/json-root");
    }

    @Test
    void aYamlNodeBelowTheConfiguredRootIsReadAsPyYamlReadsIt() throws IOException {
        seed(chroot.resolve("etc/site.yaml"), """
                app:
                  flag: yes
                  quoted: '0777'
                  octal: 0777
                  plain: hello world
                zookeeper:
                  timeout: 3s
                """);
        Path main = file(
                "main.conf",
                "[zookeeper]\nservers=" + chroot.serverConnectString() + "\npath=" + chroot.path()
                        + "\n[general]\ninclude=zookeeper:./etc/site.yaml\n");

        ZooKeeperConfig config = load(main);

        assertThat(config.section("app"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("flag", "True", "quoted", "0777", "octal", "511", "plain", "hello world"));
        assertThat(config.get("zookeeper", "timeout")).hasValue("3s");
    }

    @Test
    void nodesAndFilesAreMergedInIncludeOrder() throws IOException {
        seed(chroot.resolve("etc/middle.conf"), "[order]\nzk=yes\nwho=zk\nlast=zk\n");
        file("a.conf", "[order]\na=yes\nwho=a\nlast=a\n");
        file("b.conf", "[order]\nb=yes\nlast=b\n");
        Path main = file(
                "main.conf",
                "[zookeeper]\nservers=" + chroot.serverConnectString() + "\n" + "[general]\ninclude=a.conf zookeeper://"
                        + chroot.resolve("etc/middle.conf") + " b.conf\n");

        ZooKeeperConfig config = load(main);

        assertThat(config.section("order"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("a", "yes", "zk", "yes", "b", "yes", "who", "zk", "last", "b"));
    }

    @Test
    void readingNeverBlocksANonBlockingThread() throws IOException {
        seed(chroot.resolve("etc/site.json"), "{\"app\": {\"k\": \"v\"}}");
        Path main = file(
                "main.conf",
                "[zookeeper]\nservers=" + chroot.serverConnectString() + "\n" + "[general]\ninclude=zookeeper://"
                        + chroot.resolve("etc/site.json") + "\n");

        // BlockHound guards the suite: reading the file or the node on the parallel thread would fail the test.
        StepVerifier.create(Mono.defer(() -> loader.loadAsync(main, service)).subscribeOn(Schedulers.parallel()))
                .assertNext(config -> assertThat(config.get("app", "k")).hasValue("v"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aMissingNodeFailsNamingTheInclude() throws IOException {
        String url = "zookeeper://" + chroot.serverConnectString() + chroot.resolve("etc/missing.conf");
        Path main = file("main.conf", "[general]\ninclude=" + url + "\n");

        StepVerifier.create(loader.loadAsync(main, service))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(ZooKeeperConfigurationException.class)
                        .hasMessageContaining(url)
                        .hasMessageContaining("does not exist"))
                .verify(WAIT);
    }

    @Test
    void anIniNodeMergedWhileAValueHoldsADollarFailsAsAsabFails() throws IOException {
        seed(chroot.resolve("etc/site.conf"), "[app]\nk=v\n");
        Path main = file(
                "main.conf",
                "[zookeeper]\nservers=" + chroot.serverConnectString() + "\nurl=${zookeeper:servers}\n"
                        + "[general]\ninclude=zookeeper://" + chroot.resolve("etc/site.conf") + "\n");

        StepVerifier.create(loader.loadAsync(main, service))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(ZooKeeperConfigurationException.class)
                        .hasMessageContaining("THIS_DIR")
                        .hasMessageContaining(".json or .yaml"))
                .verify(WAIT);
    }

    @Test
    void theBlockingLoaderRefusesAZooKeeperIncludeAndSaysWhatToCall() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=zookeeper://" + chroot.serverConnectString() + "/x.conf\n");

        assertThatThrownBy(() -> loader.load(main))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("loadAsync");
    }
}
