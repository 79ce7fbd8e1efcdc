package io.reactivezk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivezk.testkit.EmbeddedZooKeeper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoIT {

    private static String run(Path configFile, Map<String, String> environment) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(configFile, environment);
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutConfigurationTheDemoRunsOnAnEmbeddedServer() throws Exception {
        String output = run(null, Map.of());
        assertThat(output)
                .contains("started an embedded ZooKeeper")
                .contains("state -> LOST (no session yet)")
                .contains("state -> CONNECTED (session 0x")
                .contains("ensemble (getConfig): a standalone server, no members listed")
                .contains("api -> 10.0.0.1:8080")
                .contains("auth -> 10.0.0.2:8443")
                .contains("legacy is not JSON (DataFormatException)")
                .contains("getData(\"services/nope\") is empty: true")
                .contains("services/../secrets")
                .contains("typed read: Endpoint[host=10.0.0.1, port=8080]")
                .contains(String.join(
                        System.lineSeparator(),
                        "watch: services/api = Endpoint[host=10.0.0.1, port=8080]",
                        "   watch: services/api = Endpoint[host=10.0.0.3, port=8081]",
                        "   watch: services/api is gone",
                        "   watch: services/api = Endpoint[host=10.0.0.1, port=8080]"))
                .contains("node is not at the expected version 0")
                .contains("20 concurrent increments: stats/visits = 20 at version 20")
                .contains("three nodes in one round trip: [/services/auth={\"host\":\"10.0.0.2\",\"port\":8443},"
                        + " /stats/visits=20, /services/nope=(missing)]")
                .containsPattern(
                        "advertised at /run/DemoApp\\.\\d{10}: \\{.*\"appclass\":\"DemoApp\".*"
                                + "\"launch_time\":\"\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z\".*\"web\":\\[\\[\"0\\.0\\.0\\.0\",8080\\]\\]")
                .contains("state -> CONNECTED (session 0x")
                .contains("ensemble (getConfig): a standalone server, no members listed")
                .containsPattern("epoch 2\\)")
                .containsPattern("re-advertised at /run/DemoApp\\.(\\d{10}); nodes under run/: \\[DemoApp\\.\\1\\]")
                .contains("read, in order: [site.conf, site.d/region.conf, zookeeper:./etc/site.json]")
                .contains("[app] {name=demo, region=eu-west, replicas=3}")
                .containsPattern("discovery: 1 DemoApp instance\\(s\\) at \\[http://[^:]+:8080\\]")
                .containsPattern(
                        "election 'demo': LEADER \\(fencing token 0x[0-9a-f]+\\); its guarded write: written by"
                                + " the leader")
                .contains("lock: 5 concurrent read-increment-writes under locks/demo -> stats/locked = 5")
                .containsPattern("\\[zookeeper\\] \\{path=/reactive-zk-demo, servers=[^,}]+, timeout=5s\\}")
                .endsWith("Done." + System.lineSeparator());
    }

    @Test
    void theDemoUsesTheServersOfTheEnvironmentVariable() throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.startNew()) {
            String output = run(null, Map.of("ASAB_ZOOKEEPER_SERVERS", server.connectString()));
            assertThat(output)
                    .doesNotContain("embedded")
                    .contains("servers: [" + server.connectString() + "]")
                    .contains("Done.");
        }
    }

    @Test
    void theDemoUsesTheServersOfAnAsabConfigFile(@TempDir Path dir) throws Exception {
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.startNew()) {
            Path file = dir.resolve("app.conf");
            Files.writeString(file, "[zookeeper]\nservers=" + server.connectString() + "\n");
            String output = run(file, Map.of());
            assertThat(output)
                    .contains("servers: [" + server.connectString() + "]")
                    .contains("Done.");
        }
    }
}
