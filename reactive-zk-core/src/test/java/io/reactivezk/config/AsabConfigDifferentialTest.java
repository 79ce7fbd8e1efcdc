package io.reactivezk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperConfigurationException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every case of the corpus ({@code src/test/resources/asab-config/cases}) with reactive-zk and with Python's
 * own {@code configparser} under ASAB's loading rules ({@code asab_loader.py}), and requires the same sections, the
 * same keys and the same values, the same sections failing interpolation, and the same files failing (at the line
 * Python names). A case with an {@code expect-error} file is one where reactive-zk is deliberately stricter than
 * ASAB and must fail with that text. Skipped where {@code python3} is not installed.
 */
class AsabConfigDifferentialTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Path cases;

    private static JsonNode python;

    @BeforeAll
    static void readEveryCaseWithPython() throws IOException, InterruptedException, URISyntaxException {
        Path resources = Path.of(AsabConfigDifferentialTest.class
                        .getResource("/asab-config/asab_loader.py")
                        .toURI())
                .getParent()
                .toRealPath();
        cases = resources.resolve("cases");
        List<String> command = new ArrayList<>(
                List.of("python3", resources.resolve("asab_loader.py").toString()));
        for (Path dir : caseDirectories()) {
            command.add(dir.toString());
        }
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed, so the differential corpus cannot run: " + e.getMessage());
            return;
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(process.exitValue()).as("python3's exit status").isZero();
        python = JSON.readTree(output);
    }

    @Test
    void theCorpusHasAtLeastThirtyCasesAndPythonReadAllOfThem() throws IOException {
        List<Path> dirs = caseDirectories();
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(30);
        assertThat(python.size()).isEqualTo(dirs.size());
        long failing = dirs.stream()
                .filter(dir -> python.get(dir.getFileName().toString()).has("error"))
                .count();
        System.out.printf(
                "ASAB configuration corpus: %d cases, %d of them files that configparser refuses%n",
                dirs.size(), failing);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsReadAsConfigparserReadsIt() throws IOException {
        return caseDirectories().stream()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> compare(dir)));
    }

    private static void compare(Path dir) throws IOException {
        JsonNode expected = python.get(dir.getFileName().toString());
        ZooKeeperConfig.Loader loader =
                ZooKeeperConfig.loader().environment(environment(dir)).workingDirectory(dir);
        Path stricter = dir.resolve("expect-error");
        if (Files.exists(stricter)) {
            String text = Files.readString(stricter, StandardCharsets.UTF_8).strip();
            assertThatThrownBy(() -> loader.load(Path.of("main.conf")))
                    .as("reactive-zk is stricter than ASAB here")
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .hasMessageContaining(text);
            return;
        }
        if (expected.has("error")) {
            Throwable thrown = catchThrowable(() -> loader.load(Path.of("main.conf")));
            assertThat(thrown)
                    .as(
                            "configparser refuses the file (%s)",
                            expected.get("error").asString())
                    .isInstanceOf(ZooKeeperConfigurationException.class);
            for (JsonNode line : expected.get("lines")) {
                assertThat(thrown.getMessage()).contains("line " + line.asInt());
            }
            return;
        }
        ZooKeeperConfig config = loader.load(Path.of("main.conf"));
        Set<String> names = new HashSet<>();
        expected.get("sections").propertyNames().forEach(names::add);
        expected.get("failures").propertyNames().forEach(names::add);
        assertThat(config.sectionNames()).as("sections").containsExactlyInAnyOrderElementsOf(names);
        for (Map.Entry<String, JsonNode> section : expected.get("sections").properties()) {
            Map<String, String> values = new LinkedHashMap<>();
            section.getValue()
                    .properties()
                    .forEach(e -> values.put(e.getKey(), e.getValue().asString()));
            assertThat(config.section(section.getKey()))
                    .as("section [%s]", section.getKey())
                    .containsExactlyInAnyOrderEntriesOf(values);
        }
        for (Map.Entry<String, JsonNode> failure : expected.get("failures").properties()) {
            String kind = failure.getValue().asString().split(":", 2)[0];
            assertThatThrownBy(() -> config.section(failure.getKey()))
                    .as("section [%s] fails as configparser fails: %s", failure.getKey(), failure.getValue())
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .hasMessageContaining("configparser: " + kind)
                    .hasMessageContaining("main.conf line ");
        }
    }

    private static Map<String, String> environment(Path dir) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        Path file = dir.resolve("environment");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    String[] pair = line.split("=", 2);
                    environment.put(pair[0], pair[1]);
                }
            }
        }
        return environment;
    }

    private static List<Path> caseDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(cases)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }
}
