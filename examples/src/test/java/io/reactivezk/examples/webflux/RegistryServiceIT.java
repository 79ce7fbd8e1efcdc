package io.reactivezk.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivezk.ZooKeeperContainer;
import io.reactivezk.testkit.EmbeddedZooKeeper;
import io.reactivezk.testkit.SessionExpirer;
import io.reactivezk.testkit.SharedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebFlux service in real HTTP round trips against an embedded ZooKeeper, BlockHound installed (the examples'
 * test class path has its JUnit integration): endpoints, health, SSE streams, a second instance, a stopped server,
 * an expired session, start-up with ZooKeeper down and graceful shutdown.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = RegistryService.class)
@AutoConfigureWebTestClient(timeout = "30s")
class RegistryServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedZooKeeper server;

    private static ZooKeeper plain;

    @Autowired
    private WebTestClient web;

    @Autowired
    private ZooKeeperContainer zk;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startZooKeeper() {
        server = EmbeddedZooKeeper.startNew();
        plain = SharedZooKeeper.connect(server.connectString());
    }

    @AfterAll
    static void stopZooKeeper() throws InterruptedException {
        plain.close();
        server.close();
    }

    @DynamicPropertySource
    static void zooKeeperServers(DynamicPropertyRegistry registry) {
        registry.add("reactivezk.servers", () -> server.connectString());
        registry.add("reactivezk.path", () -> "/registry");
        registry.add("reactivezk.session-timeout", () -> "4s");
        registry.add("reactivezk.instance-id", () -> "registry-1");
    }

    private JsonNode getJson(WebTestClient client, String uri) {
        byte[] body =
                client.get().uri(uri).exchange().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    /** A PUT of {@code body} to {@code path} (sent as written, not normalised) is refused naming {@code problem}. */
    private void assertBadRequest(String path, String body, String problem) {
        web.put()
                .uri(java.net.URI.create("http://localhost:" + port + path))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(String.class, detail -> assertThat(detail).contains(problem));
    }

    /** Writes an advertisement under {@code /registry/run} with a plain client, as an ASAB service would. */
    private static void advertiseAsAsab(String name, String json) {
        try {
            plain.create(
                    "/registry/run/" + name,
                    json.getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + name, e);
        }
    }

    private List<String> instanceIds(WebTestClient client) {
        return getJson(client, "/instances")
                .get("instances")
                .valueStream()
                .map(i -> i.path("instanceId").asString(null) == null
                        ? i.get("node").asString()
                        : i.get("instanceId").asString())
                .sorted()
                .toList();
    }

    private String health() {
        return getJson(web, "/actuator/health")
                .get("components")
                .get("zooKeeper")
                .get("status")
                .asString();
    }

    private static ConfigurableApplicationContext second(String servers, String instanceId) {
        return RegistryService.application()
                .run(
                        "--server.port=0",
                        "--reactivezk.servers=" + servers,
                        "--reactivezk.path=/registry",
                        "--reactivezk.session-timeout=4s",
                        "--reactivezk.instance-id=" + instanceId);
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) context)
                .getWebServer()
                .getPort();
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(WAIT)
                .build();
    }

    @Test
    void twoInstancesSeeEachOtherAndAnAsabNodeWrittenByAPlainClient() throws Exception {
        await().atMost(WAIT).until(() -> instanceIds(web).contains("registry-1"));
        try (ConfigurableApplicationContext other = second(server.connectString(), "registry-2")) {
            WebTestClient otherWeb = client(other);
            await().atMost(WAIT).until(() -> instanceIds(web).containsAll(List.of("registry-1", "registry-2")));
            await().atMost(WAIT).until(() -> instanceIds(otherWeb).containsAll(List.of("registry-1", "registry-2")));

            advertiseAsAsab(
                    "PyApp.0000000001",
                    "{\"appclass\": \"PyApp\", \"host\": \"py-host\", \"instance_id\": \"py-1\", \"web\": [[\"0.0.0.0\", 8080]]}");
            await().atMost(WAIT).until(() -> instanceIds(web).contains("py-1"));
            JsonNode py = getJson(web, "/instances")
                    .get("instances")
                    .valueStream()
                    .filter(i -> "py-1".equals(i.path("instanceId").asString(null)))
                    .findFirst()
                    .orElseThrow();
            assertThat(py.get("urls").get(0).asString()).isEqualTo("http://py-host:8080");
            JsonNode me = getJson(web, "/instances")
                    .get("instances")
                    .valueStream()
                    .filter(i -> "registry-1".equals(i.path("instanceId").asString(null)))
                    .findFirst()
                    .orElseThrow();
            assertThat(me.get("urls").get(0).asString()).endsWith(":" + port);
        }
    }

    @Test
    void theInstancesStreamShowsTheListAgainWhenItChanges() {
        await().atMost(WAIT).until(() -> instanceIds(web).contains("registry-1"));
        StepVerifier.create(web.get()
                        .uri("/instances/stream")
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .returnResult(String.class)
                        .getResponseBody())
                .assertNext(first -> assertThat(first).contains("registry-1").doesNotContain("streamed-1"))
                .then(() -> advertiseAsAsab(
                        "Streamed.0000000001",
                        "{\"appclass\": \"Streamed\", \"host\": \"h\", \"instance_id\": \"streamed-1\"}"))
                .assertNext(next -> assertThat(next).contains("registry-1").contains("streamed-1"))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void configRoundTripsAndItsStreamShowsAChangeByAnotherClient() throws Exception {
        web.put()
                .uri("/config/app/limits")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"max\": 5}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(0);
        web.get()
                .uri("/config/app/limits")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.value.max")
                .isEqualTo(5);

        StepVerifier.create(web.get()
                        .uri("/config/app/limits/stream")
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .returnResult(String.class)
                        .getResponseBody())
                .assertNext(first -> assertThat(first).contains("\"max\":5"))
                .then(() -> {
                    try {
                        plain.setData(
                                "/registry/config/app/limits", "{\"max\": 7}".getBytes(StandardCharsets.UTF_8), -1);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .assertNext(changed -> assertThat(changed).contains("\"max\":7"))
                .thenCancel()
                .verify(WAIT);

        web.put()
                .uri("/config/app/limits")
                .header("If-Match", "0")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"max\": 9}")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get()
                .uri("/config/app/missing")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("no configuration node config/app/missing");
    }

    @Test
    void badRequestsGet400NamingTheProblemAndChangeNothing() throws Exception {
        assertBadRequest("/config/app/bad", "{not json", "not valid JSON");
        assertBadRequest("/config/a/../etc", "{}", "'..'");
        assertBadRequest("/config/a%00b", "{}", "U+0000");
        assertThat(plain.exists("/registry/config/app/bad", false)).isNull();
        assertThat(plain.exists("/registry/etc", false)).isNull();
    }

    @Test
    void aStoppedServerIsSuspendedAndOutOfServiceThenConnectedAndUpAgain() {
        await().atMost(WAIT).until(() -> health().equals("UP"));
        StepVerifier.create(web.get()
                        .uri("/zookeeper/state")
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .exchange()
                        .returnResult(String.class)
                        .getResponseBody())
                .assertNext(now -> assertThat(now).contains("\"state\":\"CONNECTED\""))
                .then(server::stop)
                .assertNext(next -> assertThat(next).contains("\"state\":\"SUSPENDED\""))
                .then(() -> assertThat(health()).isEqualTo("OUT_OF_SERVICE"))
                .then(server::start)
                .assertNext(back -> assertThat(back).contains("\"state\":\"CONNECTED\""))
                .thenCancel()
                .verify(WAIT);
        await().atMost(WAIT).until(() -> health().equals("UP"));
    }

    @Test
    void anExpiredSessionIsLostThenConnectedAndTheInstanceIsBack() {
        await().atMost(WAIT).until(() -> instanceIds(web).contains("registry-1"));
        StepVerifier.create(web.get()
                        .uri("/zookeeper/state")
                        .accept(MediaType.TEXT_EVENT_STREAM)
                        .exchange()
                        .returnResult(String.class)
                        .getResponseBody()
                        .filter(event -> !event.contains("SUSPENDED")))
                .assertNext(now -> assertThat(now).contains("\"state\":\"CONNECTED\""))
                .then(() -> SessionExpirer.expire(zk.zooKeeper(), server.connectString()))
                .assertNext(lost -> assertThat(lost).contains("\"state\":\"LOST\""))
                .assertNext(back ->
                        assertThat(back).contains("\"state\":\"CONNECTED\"").contains("\"epoch\":"))
                .thenCancel()
                .verify(WAIT);
        await().atMost(WAIT).until(() -> instanceIds(web).contains("registry-1"));
    }

    @Test
    void startingWithZooKeeperDownWorksAndTheInstanceAppearsWhenItComes() {
        EmbeddedZooKeeper later = EmbeddedZooKeeper.startNew();
        String servers = later.connectString();
        later.stop();
        try (ConfigurableApplicationContext down = second(servers, "late-1")) {
            WebTestClient downWeb = client(down);
            assertThat(getJson(downWeb, "/actuator/health")
                            .get("components")
                            .get("zooKeeper")
                            .get("status")
                            .asString())
                    .isEqualTo("DOWN");
            later.start();
            await().alias("the late instance advertises once ZooKeeper is there")
                    .atMost(WAIT)
                    .until(() -> instanceIds(downWeb).contains("late-1"));
        } finally {
            later.close();
        }
    }

    @Test
    void afterAGracefulShutdownTheAdvertisementIsGoneAtOnce() throws Exception {
        ConfigurableApplicationContext other = second(server.connectString(), "leaving-1");
        await().atMost(WAIT).until(() -> instanceIds(web).contains("leaving-1"));
        List<String> before = plain.getChildren("/registry/run", false);

        other.close();

        List<String> after = plain.getChildren("/registry/run", false);
        assertThat(after)
                .as("the node is deleted by close(), not after the session timeout")
                .hasSize(before.size() - 1);
    }

    @Test
    void readsAreTimedInTheActuatorMetrics() {
        web.put()
                .uri("/config/app/timed")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("1")
                .exchange()
                .expectStatus()
                .isOk();
        double before = count();
        for (int i = 0; i < 5; i++) {
            web.get().uri("/config/app/timed").exchange().expectStatus().isOk();
        }
        assertThat(count() - before).isEqualTo(5);
        web.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(text -> assertThat(text).contains("reactivezk_operations_seconds_count"));
    }

    private double count() {
        JsonNode metric =
                getJson(web, "/actuator/metrics/reactivezk.operations?tag=operation:getData&tag=outcome:success");
        return metric.get("measurements").get(0).get("value").asDouble();
    }
}
