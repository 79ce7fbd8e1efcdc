package io.reactivezk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spec resolution table of ASAB-COMPAT.md section 1, row by row (every URL variant of a row is a case of its
 * own), followed by edge cases the table leaves open. No case reads the real environment.
 */
class SpecResolutionTest {

    private static final String MY = "my:zk";

    private static final String ZK = ZooKeeperSpec.DEFAULT_SECTION;

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    /** The input of one case and what it must resolve to, or which fragments its error message must contain. */
    static final class Case {

        private final String name;

        private @Nullable String url;

        private String section = ZK;

        private final Map<String, Map<String, String>> config = new LinkedHashMap<>();

        private final Map<String, String> environment = new LinkedHashMap<>();

        private List<String> servers = List.of();

        private String chroot = "";

        private String root = ZooKeeperSpec.DEFAULT_ROOT_PATH;

        private Duration timeout = TEN_SECONDS;

        private final List<String> errorFragments = new ArrayList<>();

        private Case(String name) {
            this.name = name;
        }

        static Case row(int number, String variant) {
            return new Case("row " + number + ": " + variant);
        }

        static Case edge(String description) {
            return new Case("edge: " + description);
        }

        Case url(String zPath) {
            this.url = zPath;
            return this;
        }

        Case section(String name) {
            this.section = name;
            return this;
        }

        Case config(String sectionName, String key, String value) {
            config.computeIfAbsent(sectionName, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        Case env(String servers) {
            environment.put(ZooKeeperSpec.ENV_SERVERS, servers);
            return this;
        }

        Case servers(String... expected) {
            this.servers = List.of(expected);
            return this;
        }

        Case chroot(String expected) {
            this.chroot = expected;
            return this;
        }

        Case root(String expected) {
            this.root = expected;
            return this;
        }

        Case timeout(Duration expected) {
            this.timeout = expected;
            return this;
        }

        Case error(String... fragments) {
            errorFragments.addAll(List.of(fragments));
            return this;
        }

        ZooKeeperConfig configuration() {
            return ZooKeeperConfig.of(config).withEnvironment(environment);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> resolvableSpecs() {
        return Stream.of(
                Case.row(1, "servers and path in the URL")
                        .url("zookeeper://h1:2181,h2:2182/etc/configs")
                        .servers("h1:2181", "h2:2182")
                        .root("/etc/configs"),
                Case.row(2, "zk scheme")
                        .url("zk://h1:2181/lib")
                        .servers("h1:2181")
                        .root("/lib"),
                Case.row(3, "URL without path takes [zookeeper] path")
                        .url("zookeeper://h1:2181")
                        .config(ZK, "path", "/cfgpath")
                        .servers("h1:2181")
                        .root("/cfgpath"),
                Case.row(4, "URL without path defaults to /asab")
                        .url("zookeeper://h1:2181")
                        .servers("h1:2181")
                        .root("/asab"),
                Case.row(5, "an explicit / is the root, config not consulted")
                        .url("zookeeper://h1:2181/")
                        .config(ZK, "path", "/cfgpath")
                        .servers("h1:2181")
                        .root("/"),
                Case.row(6, "trailing slash trimmed")
                        .url("zookeeper://h1:2181/a/b/")
                        .servers("h1:2181")
                        .root("/a/b"),
                Case.row(7, "empty netloc takes [zookeeper] servers, URL path wins")
                        .url("zookeeper:///etc/x")
                        .config(ZK, "servers", "s1:2181,s2:2181")
                        .config(ZK, "path", "/cfgpath")
                        .servers("s1:2181", "s2:2181")
                        .root("/etc/x"),
                Case.row(8, "zookeeper:./ is relative to the configured path")
                        .url("zookeeper:./etc/x")
                        .config(ZK, "servers", "s1:2181")
                        .config(ZK, "path", "/cfgpath")
                        .servers("s1:2181")
                        .root("/cfgpath/etc/x"),
                Case.row(9, "zookeeper://./ is relative to the configured path")
                        .url("zookeeper://./etc/x")
                        .config(ZK, "servers", "s1:2181")
                        .config(ZK, "path", "/cfgpath")
                        .servers("s1:2181")
                        .root("/cfgpath/etc/x"),
                Case.row(9, "zk://./ is relative to the configured path")
                        .url("zk://./etc/x")
                        .config(ZK, "servers", "s1:2181")
                        .config(ZK, "path", "/cfgpath")
                        .servers("s1:2181")
                        .root("/cfgpath/etc/x"),
                Case.row(10, "plain absolute path")
                        .url("/plain/path")
                        .config(ZK, "servers", "s1:2181")
                        .servers("s1:2181")
                        .root("/plain/path"),
                Case.row(13, "no URL, servers and path from [zookeeper]")
                        .config(ZK, "servers", "s1:2181")
                        .config(ZK, "path", "/mypath")
                        .servers("s1:2181")
                        .root("/mypath"),
                Case.row(14, "no URL, path defaults to /asab")
                        .config(ZK, "servers", "s1:2181")
                        .servers("s1:2181")
                        .root("/asab"),
                Case.row(15, "custom section wins over [zookeeper], its timeout applies")
                        .section(MY)
                        .config(MY, "servers", "m1:2181")
                        .config(MY, "path", "mine")
                        .config(MY, "timeout", "30")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "path", "/zkpath")
                        .servers("m1:2181")
                        .root("/mine")
                        .timeout(Duration.ofSeconds(30)),
                Case.row(16, "custom section falls back to [zookeeper] servers and path")
                        .section(MY)
                        .config(MY, "timeout", "1m")
                        .config(ZK, "servers", "s1:2181")
                        .config(ZK, "path", "/zkpath")
                        .servers("s1:2181")
                        .root("/zkpath")
                        .timeout(Duration.ofSeconds(60)),
                Case.row(17, "custom section does not inherit [zookeeper] timeout")
                        .section(MY)
                        .config(MY, "servers", "m1")
                        .config(ZK, "timeout", "30")
                        .servers("m1:2181")
                        .root("/asab")
                        .timeout(TEN_SECONDS),
                Case.row(18, "custom section falls back to the environment")
                        .section(MY)
                        .env("e1:2181")
                        .servers("e1:2181")
                        .root("/asab"),
                Case.row(19, "servers from the environment")
                        .env("e1:2181,e2:2181")
                        .servers("e1:2181", "e2:2181")
                        .root("/asab"),
                Case.row(20, "configuration beats the environment")
                        .config(ZK, "servers", "s1:2181")
                        .env("e1:2181")
                        .servers("s1:2181")
                        .root("/asab"),
                Case.row(22, "chroot after the last server, root below it")
                        .config(ZK, "servers", "s1:2181,s2/chroot")
                        .config(ZK, "path", "p")
                        .servers("s1:2181", "s2:2181")
                        .chroot("/chroot")
                        .root("/p"),
                Case.row(23, "default port 2181")
                        .config(ZK, "servers", "s1,s2:2999")
                        .servers("s1:2181", "s2:2999")
                        .root("/asab"),
                Case.row(24, "IPv6 host in brackets")
                        .url("zookeeper://[::1]:2181/p")
                        .servers("[::1]:2181")
                        .root("/p"),
                Case.row(25, "configured root is normalised")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "path", "///a//b")
                        .servers("s1:2181")
                        .root("/a/b"),
                Case.row(28, "spaces around commas trimmed")
                        .config(ZK, "servers", "s1:2181 , s2:2181")
                        .servers("s1:2181", "s2:2181")
                        .root("/asab"),
                Case.row(30, "timeout in milliseconds")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "timeout", "500ms")
                        .servers("s1:2181")
                        .timeout(Duration.ofMillis(500)),
                Case.edge("IPv6 host without a port takes the default port")
                        .url("zookeeper://[::1],[fe80::1%eth0]:2182/p")
                        .servers("[::1]:2181", "[fe80::1%eth0]:2182")
                        .root("/p"),
                Case.edge("relative URL under a custom section's path")
                        .section(MY)
                        .url("zookeeper:./x/")
                        .config(MY, "path", "mine")
                        .config(ZK, "servers", "s1")
                        .servers("s1:2181")
                        .root("/mine/x"),
                Case.edge("relative URL naming no path is the configured root")
                        .url("zookeeper://./")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "path", "/cfg")
                        .servers("s1:2181")
                        .root("/cfg"),
                Case.edge("relative URL under the root / collapses the slashes")
                        .url("zookeeper:./x")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "path", "/")
                        .servers("s1:2181")
                        .root("/x"),
                Case.edge("zookeeper:/path with one slash is an absolute path")
                        .url("zookeeper:/etc/x")
                        .env("e1")
                        .servers("e1:2181")
                        .root("/etc/x"),
                Case.edge("scheme is case-insensitive and surrounding blanks are ignored")
                        .url("  ZK://h1/p  ")
                        .servers("h1:2181")
                        .root("/p"),
                Case.edge("blank zPath counts as none")
                        .url("   ")
                        .config(ZK, "servers", "s1")
                        .servers("s1:2181"),
                Case.edge("blank configured values count as absent")
                        .section(MY)
                        .config(MY, "servers", "  ")
                        .config(MY, "path", "")
                        .config(MY, "timeout", " ")
                        .config(ZK, "servers", "s1")
                        .servers("s1:2181")
                        .root("/asab")
                        .timeout(TEN_SECONDS),
                Case.edge("configured path / is the root, not absent")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "path", "/")
                        .servers("s1:2181")
                        .root("/"),
                Case.edge("chroot / means no chroot")
                        .config(ZK, "servers", "s1:2181/")
                        .servers("s1:2181")
                        .chroot(""),
                Case.edge("chroot from the environment is normalised")
                        .env("e1:2181,e2:2181//ch/")
                        .servers("e1:2181", "e2:2181")
                        .chroot("/ch"),
                Case.edge("highest port")
                        .url("zookeeper://h1:65535/p")
                        .servers("h1:65535")
                        .root("/p"),
                Case.edge("URL servers beat configuration and environment")
                        .url("zookeeper://h1/p")
                        .config(ZK, "servers", "s1")
                        .env("e1")
                        .servers("h1:2181")
                        .root("/p"),
                Case.edge("fractional timeout in minutes")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "timeout", "1.5m")
                        .servers("s1:2181")
                        .timeout(Duration.ofSeconds(90)));
    }

    static Stream<Case> rejectedSpecs() {
        return Stream.of(
                Case.edge("an empty server entry in the config is an error naming the input")
                        .config(ZK, "servers", ",h1,")
                        .error("',h1,'", "empty server entry"),
                Case.edge("an empty server entry in the URL is an error naming the input")
                        .url("zookeeper://h1:2181,,h2:2181/x")
                        .error("h1:2181,,h2:2181", "empty server entry"),
                Case.row(11, "host:port without scheme").url("h1:2181/path").error("'h1:2181/path'", "no scheme"),
                Case.row(12, "http scheme")
                        .url("http://h1:2181/p")
                        .error("'http://h1:2181/p'", "scheme must be 'zookeeper' or 'zk'"),
                Case.row(21, "no servers anywhere")
                        .error("[zookeeper] servers", ZooKeeperSpec.ENV_SERVERS, "no zPath URL"),
                Case.row(26, "query and fragment")
                        .url("zookeeper://h1:2181/p?x=1#frag")
                        .error("'zookeeper://h1:2181/p?x=1#frag'", "query and fragment", "not allowed"),
                Case.row(27, "credentials").url("zookeeper://user:pw@h1:2181/p").error("credentials", "***@h1:2181"),
                Case.row(29, "unreadable timeout")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "timeout", "abc")
                        .error(
                                "'abc'",
                                "[zookeeper] timeout",
                                "ms, s, m (minutes), h, d, w, M (30 days), y (365 days)"),
                Case.row(31, "port out of range")
                        .url("zookeeper://h1:99999/p")
                        .error("'zookeeper://h1:99999/p'", "port '99999'", "1 to 65535"),
                Case.row(31, "empty host").url("zookeeper://:2181/p").error("':2181'", "empty host"),
                Case.row(31, "port not a number").url("zookeeper://h1:x/p").error("port 'x'"),
                Case.row(32, "dot-dot segment")
                        .url("zookeeper://h1:2181/a/../b")
                        .error("/a/../b", "'..'"),
                Case.row(32, "dot segment").url("zookeeper://h1:2181/a/./b").error("/a/./b", "'.'"),
                Case.row(32, "NUL character")
                        .url("zookeeper://h1:2181/a\u0000b")
                        .error("/a\\u0000b", "U+0000", "ZooKeeper rejects"),
                Case.row(32, "control character")
                        .url("zookeeper://h1:2181/a\u001fb")
                        .error("/a\\u001Fb", "U+001F"),
                Case.row(32, "DEL character")
                        .url("zookeeper://h1:2181/a\u007fb")
                        .error("/a\\u007Fb", "U+007F"),
                Case.row(32, "private use character")
                        .url("zookeeper://h1:2181/a\ue000b")
                        .error("U+E000"),
                Case.row(32, "specials block character")
                        .url("zookeeper://h1:2181/a\ufff0")
                        .error("U+FFF0"),
                Case.edge("no servers for a custom section names every source and the URL")
                        .section(MY)
                        .url("zookeeper:///x")
                        .error("[my:zk] servers", "[zookeeper] servers", ZooKeeperSpec.ENV_SERVERS, "'zookeeper:///x'"),
                Case.edge("port 0").url("zookeeper://h1:0/p").error("port '0'"),
                Case.edge("empty port").url("zookeeper://h1:/p").error("port ''"),
                Case.edge("bad port in configuration names the section")
                        .config(ZK, "servers", "s1:2181,s2:70000")
                        .error("[zookeeper] servers", "'s1:2181,s2:70000'", "port '70000'"),
                Case.edge("IPv6 without brackets").config(ZK, "servers", "::1").error("'::1'", "enclosed in brackets"),
                Case.edge("unknown scheme").url("zoo://h1/p").error("'zoo'", "scheme must be 'zookeeper' or 'zk'"),
                Case.edge("relative path without scheme").url("etc/x").error("'etc/x'", "zookeeper:./path"),
                Case.edge("scheme without // or ./").url("zookeeper:etc/x").error("'zookeeper:etc/x'", "invalid path"),
                Case.edge("relative URL escaping the root with ..")
                        .url("zookeeper:./../x")
                        .config(ZK, "servers", "s1")
                        .error("'zookeeper:./../x'", "/asab/../x"),
                Case.edge("invalid configured path names the section")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "path", "/a/./b")
                        .error("[zookeeper] path", "/a/./b"),
                Case.edge("chroot before the last server")
                        .config(ZK, "servers", "s1/chroot,s2")
                        .error("'s1/chroot,s2'", "last server"),
                Case.edge("host with invalid characters")
                        .config(ZK, "servers", "s 1:2181")
                        .error("'s 1'", "invalid host"),
                Case.edge("URL with only commas for servers")
                        .url("zookeeper://,/p")
                        .error("'zookeeper://,/p'", "no server"),
                Case.edge("zero timeout")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "timeout", "0")
                        .error("[zookeeper] timeout '0'", "from 1ms"),
                Case.edge("timeout beyond what ZooKeeper can take")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "timeout", "1y")
                        .error("'1y'", "24d"),
                Case.edge("a 30-day timeout overflows ZooKeeper's int of milliseconds")
                        .config(ZK, "servers", "s1")
                        .config(ZK, "timeout", "30d")
                        .error("'30d'", "24d"),
                Case.edge("credentials are masked even with a wrong scheme")
                        .url("http://user:secret@h1/p")
                        .error("http://***@h1/p", "scheme must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resolvableSpecs")
    void resolvesServersChrootRootAndTimeout(Case c) {
        ZooKeeperSpec spec = ZooKeeperSpec.resolve(c.configuration(), c.section, c.url);

        assertThat(spec.servers()).containsExactlyElementsOf(c.servers);
        assertThat(spec.chroot()).isEqualTo(c.chroot);
        assertThat(spec.rootPath()).isEqualTo(c.root);
        assertThat(spec.sessionTimeout()).isEqualTo(c.timeout);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedSpecs")
    void rejectsInvalidInputWithAMessageNamingIt(Case c) {
        ZooKeeperConfig config = c.configuration();

        assertThatThrownBy(() -> ZooKeeperSpec.resolve(config, c.section, c.url))
                .isInstanceOf(ZooKeeperConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(c.errorFragments));
    }

    @Nested
    class SingleCases {

        @Test
        void credentialsNeverAppearInTheMessage() {
            ZooKeeperConfig config = ZooKeeperConfig.empty().withEnvironment(Map.of());

            assertThatThrownBy(() -> ZooKeeperSpec.resolve(config, ZK, "zookeeper://user:pw@h1:2181/p"))
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .message()
                    .doesNotContain("pw")
                    .doesNotContain("user");
        }

        @Test
        void connectStringJoinsServersAndAppendsTheChroot() {
            ZooKeeperConfig config = ZooKeeperConfig.of(Map.of(ZK, Map.of("servers", "s1:2181, [::1] ,s2/chroot")))
                    .withEnvironment(Map.of());

            ZooKeeperSpec spec = ZooKeeperSpec.resolve(config, ZK, null);

            assertThat(spec.connectString()).isEqualTo("s1:2181,[::1]:2181,s2:2181/chroot");
        }

        @Test
        void connectStringWithoutChrootIsTheServersOnly() {
            ZooKeeperSpec spec = new ZooKeeperSpec(List.of("h1:2181", "h2:2182"), "", "/asab", TEN_SECONDS);

            assertThat(spec.connectString()).isEqualTo("h1:2181,h2:2182");
        }

        @Test
        void iniQuotedServersWithSpacesResolveAsRow28() {
            ZooKeeperConfig config = ZooKeeperConfig.parseIni("[zookeeper]\nservers=\"s1:2181 , s2:2181\"\n")
                    .withEnvironment(Map.of());

            ZooKeeperSpec spec = ZooKeeperSpec.resolve(config, ZK, null);

            assertThat(spec.servers()).containsExactly("s1:2181", "s2:2181");
            assertThat(spec.rootPath()).isEqualTo("/asab");
        }

        @Test
        void springStylePropertiesResolve() {
            java.util.Properties properties = new java.util.Properties();
            properties.setProperty("zookeeper.servers", "s1:2181");
            properties.setProperty("zookeeper.path", "/spring");
            properties.setProperty("my:zk.timeout", "2s");
            ZooKeeperConfig config = ZooKeeperConfig.fromProperties(properties).withEnvironment(Map.of());

            ZooKeeperSpec spec = ZooKeeperSpec.resolve(config, MY, null);

            assertThat(spec.servers()).containsExactly("s1:2181");
            assertThat(spec.rootPath()).isEqualTo("/spring");
            assertThat(spec.sessionTimeout()).isEqualTo(Duration.ofSeconds(2));
        }

        @Test
        void blankSectionIsRejected() {
            ZooKeeperConfig config = ZooKeeperConfig.empty().withEnvironment(Map.of());

            assertThatThrownBy(() -> ZooKeeperSpec.resolve(config, " ", null))
                    .isInstanceOf(ZooKeeperConfigurationException.class)
                    .hasMessageContaining("section must not be blank");
        }

        @Test
        void specRejectsEmptyServersAndNonPositiveTimeout() {
            assertThatThrownBy(() -> new ZooKeeperSpec(List.of(), "", "/asab", TEN_SECONDS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("servers must not be empty");
            assertThatThrownBy(() -> new ZooKeeperSpec(List.of("h:1"), "", "/asab", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sessionTimeout must be positive");
            assertThatThrownBy(() -> new ZooKeeperSpec(List.of("h:1"), "", "asab", TEN_SECONDS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("path must start with '/': asab");
        }

        @Test
        void specCopiesServersAndTreatsChrootSlashAsNone() {
            List<String> servers = new ArrayList<>(List.of("h:1"));
            ZooKeeperSpec spec = new ZooKeeperSpec(servers, "/", "/", TEN_SECONDS);
            servers.add("h:2");

            assertThat(spec.servers()).containsExactly("h:1");
            assertThat(spec.chroot()).isEmpty();
        }
    }
}
