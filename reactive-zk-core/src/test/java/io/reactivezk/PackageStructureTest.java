package io.reactivezk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md: the API reaches the implementation only through its factories, exposes no
 * internal type, and the internal packages depend on each other in one direction. Read from the sources and the
 * compiled API, so that a change that breaks a rule fails the build, not a review.
 */
class PackageStructureTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String INTERNAL = "io.reactivezk.internal";

    /** The internal packages from the bottom up: each may use only those before it. The root assembles them all. */
    private static final List<String> LAYERS = List.of("config", "codec", "session", "operation", "watch", "write", "");

    /** The only ways from the API into the implementation. */
    private static final Map<String, Set<String>> API_FACTORIES = Map.of(
            "ZooKeeperService", Set.of("io.reactivezk.internal.DefaultZooKeeperService"),
            "ZooKeeperSpec",
                    Set.of("io.reactivezk.internal.session.SpecResolver", "io.reactivezk.internal.codec.ZkPaths"),
            "ZooKeeperConfig",
                    Set.of(
                            "io.reactivezk.internal.config.AsabConfigLoader",
                            "io.reactivezk.internal.config.ZooKeeperIncludes"));

    private static final Pattern INTERNAL_REFERENCE =
            Pattern.compile("\\b(io\\.reactivezk\\.internal(?:\\.\\w+)*\\.[A-Z]\\w*)");

    @Test
    void theRecipesAreBuiltOnThePublicApiAlone() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> recipes = javaFiles(SOURCES.resolve("io/reactivezk/recipe"), 1);
        for (Path file : recipes) {
            for (String used : internalReferences(file)) {
                violations.add(file.getFileName() + " uses " + used);
            }
        }
        assertThat(recipes).as("recipe sources").isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @Test
    void theApiReachesTheImplementationOnlyThroughItsFactories() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(SOURCES.resolve("io/reactivezk"), 1)) {
            String type = file.getFileName().toString().replace(".java", "");
            Set<String> allowed = API_FACTORIES.getOrDefault(type, Set.of());
            for (String used : internalReferences(file)) {
                if (!allowed.contains(used)) {
                    violations.add(type + " uses " + used);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void internalPackagesDependOnEachOtherInOneDirection() throws IOException {
        List<String> violations = new ArrayList<>();
        int checked = 0;
        for (Path file : javaFiles(SOURCES.resolve("io/reactivezk/internal"), Integer.MAX_VALUE)) {
            String layer =
                    layerOf(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
            for (String used : internalReferences(file)) {
                String usedLayer = layerOf(used.substring(0, used.lastIndexOf('.')));
                checked++;
                if (LAYERS.indexOf(usedLayer) > LAYERS.indexOf(layer)) {
                    violations.add(file.getFileName() + " (" + layer + ") uses " + used + " (" + usedLayer + ")");
                }
            }
        }
        assertThat(checked)
                .as("references between internal packages were found and checked")
                .isGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    @Test
    void noPublicApiSignatureMentionsAnInternalType() throws Exception {
        List<String> violations = new ArrayList<>();
        List<Path> files = javaFiles(SOURCES.resolve("io/reactivezk"), 1);
        assertThat(files).hasSizeGreaterThan(20);
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".java", "");
            if (name.equals("package-info")) {
                continue;
            }
            check(Class.forName("io.reactivezk." + name), violations);
        }
        assertThat(violations).isEmpty();
    }

    private static void check(Class<?> type, List<String> violations) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return;
        }
        List<Type> exposed = new ArrayList<>();
        exposed.add(type.getGenericSuperclass());
        exposed.addAll(Arrays.asList(type.getGenericInterfaces()));
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) || Modifier.isProtected(method.getModifiers())) {
                exposed.add(method.getGenericReturnType());
                exposed.addAll(Arrays.asList(method.getGenericParameterTypes()));
                exposed.addAll(Arrays.asList(method.getGenericExceptionTypes()));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isPublic(field.getModifiers()) || Modifier.isProtected(field.getModifiers())) {
                exposed.add(field.getGenericType());
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                exposed.add(component.getGenericType());
            }
        }
        for (Type t : exposed) {
            if (t != null && t.getTypeName().contains(INTERNAL)) {
                violations.add(type.getName() + " exposes " + t.getTypeName());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            check(nested, violations);
        }
    }

    private static String layerOf(String packageName) {
        String rest = packageName.equals(INTERNAL) ? "" : packageName.substring(INTERNAL.length() + 1);
        String top = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        assertThat(LAYERS)
                .as("package " + packageName + " has a place in the layers")
                .contains(top);
        return top;
    }

    private static Set<String> internalReferences(Path file) throws IOException {
        Set<String> found = new TreeSet<>();
        Matcher matcher = INTERNAL_REFERENCE.matcher(Files.readString(file));
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static List<Path> javaFiles(Path dir, int depth) throws IOException {
        assertThat(dir).as("run from the module's directory").isDirectory();
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
