package io.reactivezk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivezk.ZooKeeperConfig;
import io.reactivezk.ZooKeeperConfigurationException;
import io.reactivezk.ZooKeeperSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@link ZooKeeperConfig.Loader} that the differential corpus does not show on its own: what errors
 * name, {@code ASAB_CONFIG}, the {@code ASAB_ZOOKEEPER_SERVERS} default among includes, and the containers' view.
 */
class AsabConfigLoaderTest {

    @TempDir
    Path directory;

    private Path file(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private ZooKeeperConfig.Loader loader(Map<String, String> environment) {
        return ZooKeeperConfig.loader().environment(environment).workingDirectory(directory);
    }

    @Test
    void aMissingReferenceNamesTheFileTheLineAndTheReference() throws IOException {
        Path main = file("main.conf", "[zookeeper]\n\nservers=${hosts:list}\n[hosts]\nother=x\n");

        ZooKeeperConfig config = loader(Map.of()).load(main);

        assertThatThrownBy(() -> config.get("zookeeper", "servers"))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageStartingWith(main + " line 3: [zookeeper] servers = ${hosts:list}")
                .hasMessageContaining("'${hosts:list}' refers to key 'list'")
                .hasMessageContaining("InterpolationMissingOptionError");
        assertThat(config.get("hosts", "other")).hasValue("x");
        assertThatThrownBy(() -> ZooKeeperSpec.resolve(config, "zookeeper", null))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("${hosts:list}");
    }

    @Test
    void anUnsetVariableIsNamedAndTheRuleExplained() throws IOException {
        Path main = file("main.conf", "[zookeeper]\nservers=$ZK_HOSTS\n");

        ZooKeeperConfig config = loader(Map.of()).load(main);

        assertThatThrownBy(() -> config.section("zookeeper"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("$ZK_HOSTS")
                .hasMessageContaining("not set stays as written");
    }

    @Test
    void anIncludeCycleNamesEveryFileOnIt() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=conf/a.conf\n");
        file("conf/a.conf", "[general]\ninclude=conf/b.conf\n");
        file("conf/b.conf", "[general]\ninclude=conf/a.conf\n");

        assertThatThrownBy(() -> loader(Map.of()).load(main))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("include cycle: " + directory.resolve("conf/a.conf") + " -> "
                        + directory.resolve("conf/b.conf") + " -> " + directory.resolve("conf/a.conf"));
    }

    @Test
    void aBrokenIncludeFailsTheWholeLoadNamingItsFileAndLine() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=conf/good.conf conf/bad.conf\n[zookeeper]\nservers=s1\n");
        file("conf/good.conf", "[zookeeper]\npath=/good\n");
        file("conf/bad.conf", "[zookeeper]\npath=/bad\npath=/again\n");

        assertThatThrownBy(() -> loader(Map.of()).load(main))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageStartingWith("conf/bad.conf line 3: key 'path' appears twice")
                .hasMessageContaining("DuplicateOptionError");
    }

    @Test
    void aFileThatIsNotUtf8FailsNamingIt() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=latin1.conf\n");
        Files.write(
                directory.resolve("latin1.conf"),
                "[zookeeper]\npath=/z\u00fcrich\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> loader(Map.of()).load(main))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageStartingWith("latin1.conf: not valid UTF-8");
    }

    @Test
    void anIncludedFileThatCannotBeReadFailsWhereAsabWouldSkipIt() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=conf/*.conf\n");
        Files.createDirectories(directory.resolve("conf"));
        Files.createSymbolicLink(directory.resolve("conf/dangling.conf"), directory.resolve("nowhere.conf"));

        assertThatThrownBy(() -> loader(Map.of()).load(main))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageStartingWith("cannot read configuration file conf/dangling.conf");
    }

    @Test
    void anIncludeThatStartsWithZookeeperButIsNoUrlFailsAsInAsab() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=zookeeper-site.conf\n");
        file("zookeeper-site.conf", "[zookeeper]\nservers=s1\n");

        assertThatThrownBy(() -> loader(Map.of()).load(main))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("'zookeeper-site.conf' starts with 'zookeeper'")
                .hasMessageContaining("rename the file");
    }

    @Test
    void asabConfigNamesTheMainFile() throws IOException {
        file("site/app.conf", "[zookeeper]\nservers=from-asab-config:2181\n");

        ZooKeeperConfig config = loader(Map.of("ASAB_CONFIG", "site/app.conf")).load();

        assertThat(config.get("zookeeper", "servers")).hasValue("from-asab-config:2181");
        assertThat(config.sources()).containsExactly("site/app.conf");
    }

    @Test
    void withoutAsabConfigOnlyTheServersVariableIsRead() {
        ZooKeeperConfig config =
                loader(Map.of("ASAB_ZOOKEEPER_SERVERS", "env:2181")).load();

        assertThat(config.sources()).isEmpty();
        assertThat(config.sectionNames()).containsExactly("general", "zookeeper");
        assertThat(config.get("zookeeper", "servers")).hasValue("env:2181");
    }

    @Test
    void anAsabConfigThatDoesNotExistFailsAsAsabExits() {
        assertThatThrownBy(() -> loader(Map.of("ASAB_CONFIG", "nowhere.conf")).load())
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .hasMessageContaining("nowhere.conf")
                .hasMessageContaining("not found");
    }

    @Test
    void theServersVariableIsTheMainFilesDefaultAndAnIncludeStillOverridesIt() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=site.conf\n");
        file("site.conf", "[zookeeper]\nservers=from-include:2181\n");
        Path plain = file("plain.conf", "[zookeeper]\npath=/p\n");

        Map<String, String> environment = Map.of("ASAB_ZOOKEEPER_SERVERS", "env:2181");
        assertThat(loader(environment).load(main).get("zookeeper", "servers")).hasValue("from-include:2181");
        assertThat(loader(environment).load(plain).get("zookeeper", "servers")).hasValue("env:2181");
    }

    @Test
    void aContainerSectionSeesDefaultValuesAndTheServersVariableBeatsThemInZookeeper() throws IOException {
        Path main = file("main.conf", "[DEFAULT]\nservers=d1:2181\ntimeout=3s\n[my:zk]\npath=/mine\n");

        ZooKeeperConfig config =
                loader(Map.of("ASAB_ZOOKEEPER_SERVERS", "env:2181")).load(main);

        ZooKeeperSpec own = ZooKeeperSpec.resolve(config, "my:zk", null);
        assertThat(own.servers()).containsExactly("d1:2181");
        assertThat(own.rootPath()).isEqualTo("/mine");
        assertThat(own.sessionTimeout()).hasSeconds(3);
        assertThat(ZooKeeperSpec.resolve(config, "zookeeper", null).servers()).containsExactly("env:2181");
    }

    @Test
    void thisDirIsTheDirectoryOfTheFileBeingRead() throws IOException {
        Path main = file("main.conf", "[general]\ninclude=${THIS_DIR}/conf.d/*.conf\n[paths]\nmain=${THIS_DIR}\n");
        file("conf.d/site.conf", "[paths]\nsite=$THIS_DIR/data\n");

        ZooKeeperConfig config = loader(Map.of()).load(main);

        assertThat(config.section("paths"))
                .containsEntry("main", directory.toString())
                .containsEntry("site", directory.resolve("conf.d") + "/data");
    }

    @Test
    void quotedServersStillResolveAsTheCompatibilityTableFixes() throws IOException {
        Path main = file("main.conf", "[zookeeper]\nservers=\"s1:2181 , s2:2181\"\npath='/quoted'\n");

        ZooKeeperConfig config = loader(Map.of()).load(main);

        assertThat(config.get("zookeeper", "servers")).hasValue("\"s1:2181 , s2:2181\"");
        ZooKeeperSpec spec = ZooKeeperSpec.resolve(config, "zookeeper", null);
        assertThat(spec.servers()).containsExactly("s1:2181", "s2:2181");
        assertThat(spec.rootPath()).isEqualTo("/quoted");
    }
}
