package io.reactivezk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZooKeeperConfigTest {

    /** Reads INI text as {@link ZooKeeperConfig#parseIni(String)} does, in an empty environment. */
    private static ZooKeeperConfig ini(String text) {
        return ZooKeeperConfig.loader().environment(Map.of()).parse(text);
    }

    @Test
    void parseIniIsTheLoaderInTheSystemEnvironment() {
        String text = "[zookeeper]\nservers=s1\n";

        assertThat(ZooKeeperConfig.parseIni(text).section("zookeeper"))
                .isEqualTo(ZooKeeperConfig.loader().parse(text).section("zookeeper"))
                .containsEntry("servers", "s1");
    }

    @Nested
    class Ini {

        @Test
        void readsSectionsKeysAndBothDelimiters() {
            ZooKeeperConfig config = ini("""
                    [zookeeper]
                    servers = zk1:2181,zk2:2181
                    path: /etc/configs

                    [my:zk]
                    timeout=30
                    """);

            assertThat(config.get("zookeeper", "servers")).hasValue("zk1:2181,zk2:2181");
            assertThat(config.get("zookeeper", "path")).hasValue("/etc/configs");
            assertThat(config.get("my:zk", "timeout")).hasValue("30");
            assertThat(config.sectionNames()).containsExactly("zookeeper", "my:zk", "general");
        }

        @Test
        void skipsHashAndSemicolonCommentsAndBlankLines() {
            ZooKeeperConfig config = ini("""
                    # a comment
                    ; another comment

                    [zookeeper]
                      # an indented comment
                    servers=s1
                    ;path=/commented
                    """);

            assertThat(config.section("zookeeper")).containsOnlyKeys("servers");
            assertThat(config.get("zookeeper", "path")).isEmpty();
        }

        @Test
        void splitsAtTheFirstDelimiterSoValuesMayContainColonsAndEquals() {
            ZooKeeperConfig config = ini("[zookeeper]\nservers=h1:2181\nurl: a=b:c\n");

            assertThat(config.get("zookeeper", "servers")).hasValue("h1:2181");
            assertThat(config.get("zookeeper", "url")).hasValue("a=b:c");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '~',
                value = {
                    "servers = \"s1:2181 , s2:2181\"|\"s1:2181 , s2:2181\"",
                    "servers = 's1:2181'|'s1:2181'",
                    "servers = s1 # not a comment|s1 # not a comment",
                    "servers = s1 ; not a comment either|s1 ; not a comment either"
                })
        void keepsQuotesAndHashesAsConfigparserDoes(String line, String expected) {
            ZooKeeperConfig config = ini("[zookeeper]\n" + line + "\n");

            assertThat(config.section("zookeeper")).containsEntry("servers", expected);
        }

        @Test
        void emptyValuesCountAsAbsent() {
            ZooKeeperConfig config = ini("[zookeeper]\nservers=\npath=\ntimeout:   \n");

            assertThat(config.get("zookeeper", "servers")).isEmpty();
            assertThat(config.get("zookeeper", "path")).isEmpty();
            assertThat(config.get("zookeeper", "timeout")).isEmpty();
            assertThat(config.section("zookeeper")).containsOnlyKeys("servers", "path", "timeout");
        }

        @Test
        void trimsKeysAndValuesButNotSectionNames() {
            ZooKeeperConfig config = ini("  [ zookeeper ]  \n\tservers\t=\t s1 \t\n");

            assertThat(config.section(" zookeeper ")).containsExactly(Map.entry("servers", "s1"));
            assertThat(config.section("zookeeper")).isEmpty();
        }

        @Test
        void lowerCasesKeysAsConfigparserDoes() {
            ZooKeeperConfig config = ini("[Zookeeper]\nSERVERS=s1\n");

            assertThat(config.get("Zookeeper", "servers")).hasValue("s1");
            assertThat(config.get("zookeeper", "servers")).isEmpty();
        }

        @Test
        void deeperIndentedLinesContinueTheValue() {
            ZooKeeperConfig config = ini("""
                    [zookeeper]
                    servers =
                        zk1:2181,
                        zk2:2181
                    path = /p
                    """);

            assertThat(config.get("zookeeper", "servers")).hasValue("zk1:2181,\nzk2:2181");
            assertThat(config.get("zookeeper", "path")).hasValue("/p");
        }

        @Test
        void equallyIndentedKeysAreSeparateKeys() {
            ZooKeeperConfig config = ini("[zookeeper]\n  servers=s1\n  path=/p\n");

            assertThat(config.get("zookeeper", "servers")).hasValue("s1");
            assertThat(config.get("zookeeper", "path")).hasValue("/p");
        }

        @Test
        void acceptsWindowsLineEndings() {
            ZooKeeperConfig config = ini("[zookeeper]\r\nservers=s1\r\npath=/p\r\n");

            assertThat(config.get("zookeeper", "servers")).hasValue("s1");
            assertThat(config.get("zookeeper", "path")).hasValue("/p");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "line without delimiter|[zookeeper]\\nservers s1|line 2|ParsingError",
                    "key before any section|servers=s1|line 1|MissingSectionHeaderError",
                    "byte order mark|\ufeff[zookeeper]\\nservers=s1|line 1|MissingSectionHeaderError",
                    "unclosed header|[a]\\n[zookeeper|line 2|ParsingError",
                    "empty section name|[]|line 1|MissingSectionHeaderError",
                    "empty key|[zookeeper]\\n\\n = s1|line 3|ParsingError",
                    "repeated section|[a]\\nk=1\\n[a]|line 3|DuplicateSectionError",
                    "repeated key|[a]\\nk=1\\nK=2|line 3|DuplicateOptionError"
                })
        void malformedTextFailsNamingTheLineAndConfigparsersError(
                String description, String text, String lineNumber, String error) {
            assertThatThrownBy(() -> ini(text.replace("\\n", "\n")))
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .hasMessageStartingWith("<text> " + lineNumber)
                    .hasMessageContaining("configparser: " + error);
        }

        @Test
        void readsAFileAsUtf8(@TempDir Path directory) throws IOException {
            Path file = directory.resolve("site.conf");
            Files.writeString(file, "[zookeeper]\nservers=s1\npath=/zürich\n", StandardCharsets.UTF_8);

            ZooKeeperConfig config = ZooKeeperConfig.fromIni(file);

            assertThat(config.get("zookeeper", "path")).hasValue("/zürich");
        }

        @Test
        void malformedFileNamesTheFileAndTheLine(@TempDir Path directory) throws IOException {
            Path file = directory.resolve("bad.conf");
            Files.writeString(file, "[zookeeper]\nservers\n");

            assertThatThrownBy(() -> ZooKeeperConfig.fromIni(file))
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .hasMessageStartingWith(file + " line 2: 'servers'")
                    .hasMessageContaining("ParsingError");
        }

        @Test
        void missingFileIsAConfigurationErrorNamingTheFile(@TempDir Path directory) {
            Path file = directory.resolve("missing.conf");

            assertThatThrownBy(() -> ZooKeeperConfig.fromIni(file))
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("not found");
        }
    }

    @Nested
    class PropertiesSource {

        @Test
        void splitsKeysAtTheLastDot() {
            Properties properties = new Properties();
            properties.setProperty("zookeeper.servers", "s1:2181");
            properties.setProperty("zookeeper.path", "/spring");
            properties.setProperty("my:zk.servers", "m1");
            properties.setProperty("spring.application.name", "app");

            ZooKeeperConfig config = ZooKeeperConfig.fromProperties(properties);

            assertThat(config.get("zookeeper", "servers")).hasValue("s1:2181");
            assertThat(config.get("zookeeper", "path")).hasValue("/spring");
            assertThat(config.get("my:zk", "servers")).hasValue("m1");
            assertThat(config.get("spring.application", "name")).hasValue("app");
        }

        @Test
        void ignoresKeysThatNameNoSection() {
            Properties properties = new Properties();
            properties.setProperty("nodot", "x");
            properties.setProperty(".leading", "x");
            properties.setProperty("trailing.", "x");
            properties.setProperty("zookeeper.servers", "s1");

            ZooKeeperConfig config = ZooKeeperConfig.fromProperties(properties);

            assertThat(config.sectionNames()).containsExactly("zookeeper");
        }

        @Test
        void readsDefaultsOfProperties() {
            Properties defaults = new Properties();
            defaults.setProperty("zookeeper.servers", "s1");
            Properties properties = new Properties(defaults);

            assertThat(ZooKeeperConfig.fromProperties(properties).get("zookeeper", "servers"))
                    .hasValue("s1");
        }
    }

    @Nested
    class MapSource {

        @Test
        void copiesTheGivenMaps() {
            Map<String, String> section = new HashMap<>(Map.of("servers", "s1"));
            Map<String, Map<String, String>> sections = new LinkedHashMap<>(Map.of("zookeeper", section));

            ZooKeeperConfig config = ZooKeeperConfig.of(sections);
            section.put("servers", "changed");
            sections.put("other", Map.of("k", "v"));

            assertThat(config.get("zookeeper", "servers")).hasValue("s1");
            assertThat(config.sectionNames()).containsExactly("zookeeper");
        }

        @Test
        void getTrimsValuesAndTreatsBlankOrMissingAsAbsent() {
            ZooKeeperConfig config = ZooKeeperConfig.of(Map.of("zookeeper", Map.of("servers", "  s1  ", "path", " ")));

            assertThat(config.get("zookeeper", "servers")).hasValue("s1");
            assertThat(config.get("zookeeper", "path")).isEmpty();
            assertThat(config.get("zookeeper", "timeout")).isEmpty();
            assertThat(config.get("nosuch", "servers")).isEmpty();
            assertThat(config.section("nosuch")).isEmpty();
        }

        @Test
        void rejectsBlankSectionNamesAndKeys() {
            assertThatThrownBy(() -> ZooKeeperConfig.of(Map.of(" ", Map.of("k", "v"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("section name must not be blank");
            assertThatThrownBy(() -> ZooKeeperConfig.of(Map.of("zookeeper", Map.of("", "v"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key in section [zookeeper] must not be blank");
        }

        @Test
        void rejectsNullValues() {
            Map<String, String> section = new HashMap<>();
            section.put("servers", null);

            assertThatNullPointerException()
                    .isThrownBy(() -> ZooKeeperConfig.of(Map.of("zookeeper", section)))
                    .withMessage("value of [zookeeper] servers must not be null");
        }

        @Test
        void emptyHasNoSections() {
            assertThat(ZooKeeperConfig.empty().sectionNames()).isEmpty();
            assertThat(ZooKeeperConfig.empty().get("zookeeper", "servers")).isEmpty();
        }
    }

    @Nested
    class Environment {

        @Test
        void withEnvironmentReplacesTheSystemEnvironmentAndKeepsSections() {
            ZooKeeperConfig base = ZooKeeperConfig.of(Map.of("zookeeper", Map.of("path", "/p")));

            ZooKeeperConfig config = base.withEnvironment(Map.of("ASAB_ZOOKEEPER_SERVERS", " e1:2181 ", "BLANK", " "));

            assertThat(config.environment("ASAB_ZOOKEEPER_SERVERS")).hasValue("e1:2181");
            assertThat(config.environment("BLANK")).isEmpty();
            assertThat(config.environment("UNSET")).isEmpty();
            assertThat(config.get("zookeeper", "path")).hasValue("/p");
            assertThat(config).isNotEqualTo(base);
        }

        @Test
        void withEnvironmentCopiesTheMap() {
            Map<String, String> environment = new HashMap<>(Map.of("A", "1"));
            ZooKeeperConfig config = ZooKeeperConfig.empty().withEnvironment(environment);
            environment.put("A", "2");

            assertThat(config.environment("A")).hasValue("1");
        }
    }

    @Test
    void equalConfigurationsAreEqual() {
        ZooKeeperConfig fromMap = ZooKeeperConfig.of(Map.of("zookeeper", Map.of("servers", "s1"), "general", Map.of()));
        ZooKeeperConfig fromIni = ZooKeeperConfig.parseIni("[zookeeper]\nservers=s1");

        assertThat(fromIni).isEqualTo(fromMap).hasSameHashCodeAs(fromMap);
    }

    @Test
    void toStringListsSectionsAndKeysButNoValues() {
        ZooKeeperConfig config = ini("[zookeeper]\nservers=secret-host\npath=/p\n[my:zk]\ntimeout=3")
                .withEnvironment(Map.of("X", "y"));

        assertThat(config.toString())
                .isEqualTo("ZooKeeperConfig{[zookeeper] servers, path; [my:zk] timeout; [general]; environment=1"
                        + " variables}")
                .doesNotContain("secret-host");
        assertThat(ZooKeeperConfig.empty().toString()).isEqualTo("ZooKeeperConfig{environment=system}");
    }
}
