package io.reactivezk.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.ZooKeeperConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON and YAML configuration documents, with the values Python's {@code str()} of PyYAML's and json's gives. */
class StructuredConfigTest {

    private static Map<String, Map<String, String>> yaml(String text) {
        return StructuredConfig.yaml(text.getBytes(StandardCharsets.UTF_8), "site.yaml");
    }

    /** Each expected text is what {@code str(yaml.safe_load('k: ' + value)['k'])} prints with PyYAML 6. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            value = {
                "yes|True",
                "Off|False",
                "TRUE|True",
                "y|y",
                "0777|511",
                "0x1F|31",
                "0b101|5",
                "-1_000|-1000",
                "190:20:30|685230",
                "0|0",
                "'0777'|0777",
                "\"yes\"|yes",
                "hello world|hello world",
                "zk1:2181|zk1:2181",
                "/asab/etc|/asab/etc",
                "5s|5s"
            })
    void yamlScalarsBecomeTheTextPythonWouldGive(String value, String expected) {
        assertThat(yaml("section:\n  k: " + value + "\n")).isEqualTo(Map.of("section", Map.of("k", expected)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            value = {"1.5|float", "~|null", "2024-01-02|date", "!!str x|tag", "[a, b]|list", "{a: 1}|mapping"})
    void yamlValuesWithoutAnUnambiguousTextAreRefused(String value, String kind) {
        assertThatThrownBy(() -> yaml("section:\n  k: " + value + "\n"))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("site.yaml")
                .hasMessageContaining(kind);
    }

    @Test
    void aYamlBlockScalarIsAString() {
        assertThat(yaml("s:\n  k: |\n    line one\n    yes\n")).isEqualTo(Map.of("s", Map.of("k", "line one\nyes\n")));
    }

    @Test
    void yamlThatIsNotSectionsOfKeysIsRefused() {
        assertThatThrownBy(() -> yaml("- a\n- b\n")).hasMessageContaining("mapping of sections");
        assertThatThrownBy(() -> yaml("s: value\n")).hasMessageContaining("must be a mapping of keys");
        assertThatThrownBy(() -> yaml("s:\n  k: 'unterminated\n")).hasMessageContaining("not valid YAML");
    }

    @Test
    void jsonValuesBecomeTheTextPythonWouldGive() {
        Map<String, Map<String, String>> sections = StructuredConfig.json(
                "{\"s\": {\"text\": \"a\", \"int\": 12345678901234567890, \"yes\": true, \"no\": false}}"
                        .getBytes(StandardCharsets.UTF_8),
                "site.json");

        assertThat(sections.get("s"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("text", "a", "int", "12345678901234567890", "yes", "True", "no", "False"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            value = {"1.5|number", "null|null", "[1]|array", "{\"a\": 1}|object"})
    void jsonValuesWithoutAnUnambiguousTextAreRefused(String value, String kind) {
        assertThatThrownBy(() -> StructuredConfig.json(
                        ("{\"s\": {\"k\": " + value + "}}").getBytes(StandardCharsets.UTF_8), "site.json"))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("site.json: [s] k is a")
                .hasMessageContaining(kind);
    }

    @Test
    void jsonThatIsNotAnObjectOfObjectsIsRefused() {
        assertThatThrownBy(() -> StructuredConfig.json("[1]".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("object of sections");
        assertThatThrownBy(() -> StructuredConfig.json("{\"s\": 1}".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("section 's' must be an object");
        assertThatThrownBy(() -> StructuredConfig.json("{".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("not valid JSON");
    }
}
