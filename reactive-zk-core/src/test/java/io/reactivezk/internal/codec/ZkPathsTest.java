package io.reactivezk.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZkPathsTest {

    @Nested
    class NormalizeRoot {

        @ParameterizedTest(name = "''{0}'' -> ''{1}''")
        @CsvSource({
            "///a//b, /a/b",
            "asab, /asab",
            "/asab/, /asab",
            "/a/b/c, /a/b/c",
            "/, /",
            "///, /",
            "'', /",
            "a/, /a",
            "/my:zk/x y, /my:zk/x y"
        })
        void collapsesSlashesTrimsTheTrailingOneAndAddsTheLeadingOne(String root, String expected) {
            assertThat(ZkPaths.normalizeRoot(root)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/a/../b", "/a/./b", "..", "/a/."})
        void rejectsDotSegmentsNamingThePath(String root) {
            assertThatThrownBy(() -> ZkPaths.normalizeRoot(root))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must not contain '.' or '..' segments: " + root);
        }

        @Test
        void rejectsCharactersZooKeeperRejects() {
            assertThatThrownBy(() -> ZkPaths.normalizeRoot("/a\u0000"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must not contain U+0000, which ZooKeeper rejects: /a\\u0000");
        }

        @Test
        void rejectsNull() {
            assertThatNullPointerException()
                    .isThrownBy(() -> ZkPaths.normalizeRoot(null))
                    .withMessage("path must not be null");
        }
    }

    @Nested
    class Resolve {

        @ParameterizedTest(name = "''{1}'' under ''{0}'' -> ''{2}''")
        @CsvSource({
            "/asab, services/api, /asab/services/api",
            "/asab, /services/api, /asab/services/api",
            "/asab, services/api/, /asab/services/api",
            "/asab, /services/api/, /asab/services/api",
            "/asab, '', /asab",
            "/asab, /, /asab",
            "/, services, /services",
            "/, '', /",
            "/, /, /",
            "/asab, run/App., /asab/run/App.",
            "/asab, a b/c-d_e.f, /asab/a b/c-d_e.f",
            "/asab, ..a/b.., /asab/..a/b.."
        })
        void placesThePathUnderTheRoot(String root, String path, String expected) {
            assertThat(ZkPaths.resolve(root, path)).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a//b", "//a", "a//", "//", "/a//b/", "///"})
        void rejectsEmptySegmentsNamingThePath(String path) {
            assertThatThrownBy(() -> ZkPaths.resolve("/asab", path))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must not contain empty segments: " + path);
        }

        @ParameterizedTest
        @ValueSource(strings = {".", "..", "a/./b", "a/../b", "/..", "a/.."})
        void rejectsDotAndDotDotSegmentsNamingThePath(String path) {
            assertThatThrownBy(() -> ZkPaths.resolve("/asab", path))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must not contain '.' or '..' segments: " + path);
        }

        @ParameterizedTest(name = "U+{0}")
        @ValueSource(
                ints = {0x0000, 0x0001, 0x001F, 0x007F, 0x0080, 0x009F, 0xD800, 0xDFFF, 0xE000, 0xF8FF, 0xFFF0, 0xFFFF})
        void rejectsEveryCharacterRangeZooKeeperRejects(int codeUnit) {
            String path = "a" + (char) codeUnit + "b";

            assertThatThrownBy(() -> ZkPaths.resolve("/asab", path))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.format("U+%04X", codeUnit))
                    .hasMessageContaining(String.format("a\\u%04Xb", codeUnit));
        }

        @ParameterizedTest(name = "U+{0}")
        @ValueSource(ints = {0x0020, 0x007E, 0x00A0, 0x00E9, 0xD7FF, 0xF900, 0xFFEF})
        void acceptsCharactersJustOutsideTheRejectedRanges(int codeUnit) {
            String path = "a" + (char) codeUnit;

            assertThat(ZkPaths.resolve("/asab", path)).isEqualTo("/asab/" + path);
        }

        @Test
        void rejectsEmojiBecauseSurrogatesAreRejected() {
            assertThatThrownBy(() -> ZkPaths.resolve("/", "smile\uD83D\uDE00"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("U+D83D");
        }

        @Test
        void rejectsNullPath() {
            assertThatNullPointerException()
                    .isThrownBy(() -> ZkPaths.resolve("/asab", null))
                    .withMessage("path must not be null");
        }

        @Test
        void rejectsAnInvalidRoot() {
            assertThatThrownBy(() -> ZkPaths.resolve("asab", "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must start with '/': asab");
        }
    }

    @Nested
    class Relativize {

        @ParameterizedTest(name = "''{1}'' from ''{0}'' -> ''{2}''")
        @CsvSource({
            "/asab, /asab/services/api, /services/api",
            "/asab, /asab, /",
            "/, /services, /services",
            "/, /, /",
            "/a/b, /a/b/c, /c"
        })
        void givesThePathAsSeenInsideTheContainer(String root, String absolute, String expected) {
            assertThat(ZkPaths.relativize(root, absolute)).isEqualTo(expected);
            assertThat(ZkPaths.resolve(root, expected)).isEqualTo(absolute);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/asabx", "/other", "/", "/as"})
        void rejectsPathsOutsideTheRoot(String absolute) {
            assertThatThrownBy(() -> ZkPaths.relativize("/asab", absolute))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path " + absolute + " is not under the root /asab");
        }
    }

    @Nested
    class TakingPathsApart {

        @Test
        void parentOfANestedPathDropsTheLastSegment() {
            assertThat(ZkPaths.parent("/a/b/c")).isEqualTo("/a/b");
            assertThat(ZkPaths.parent("/a")).isEqualTo("/");
        }

        @Test
        void rootHasNoParent() {
            assertThatThrownBy(() -> ZkPaths.parent("/"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the root path / has no parent");
        }

        @Test
        void ancestorsListProperAncestorsOutermostFirst() {
            assertThat(ZkPaths.ancestors("/a/b/c")).containsExactly("/a", "/a/b");
            assertThat(ZkPaths.ancestors("/a")).isEmpty();
            assertThat(ZkPaths.ancestors("/")).isEmpty();
        }

        @Test
        void nameIsTheLastSegment() {
            assertThat(ZkPaths.name("/a/b/App.0000000001")).isEqualTo("App.0000000001");
            assertThat(ZkPaths.name("/a")).isEqualTo("a");
            assertThat(ZkPaths.name("/")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"a/b", "/a/", "/a//b", "/a/../b", ""})
        void rejectInvalidAbsolutePaths(String absolute) {
            assertThatThrownBy(() -> ZkPaths.parent(absolute)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ZkPaths.ancestors(absolute)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ZkPaths.name(absolute))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith(": " + absolute);
        }

        @Test
        void requireAbsoluteNamesTheRuleBroken() {
            assertThatThrownBy(() -> ZkPaths.requireAbsolute("/a/")).hasMessage("path must not end with '/': /a/");
            assertThatThrownBy(() -> ZkPaths.requireAbsolute("a")).hasMessage("path must start with '/': a");
            assertThat(ZkPaths.requireAbsolute("/")).isEqualTo("/");
        }
    }
}
