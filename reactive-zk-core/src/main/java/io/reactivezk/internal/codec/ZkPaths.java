package io.reactivezk.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The path rules of the whole client: how a container's root is normalised, how a path given to an operation is
 * placed under the root, and how an absolute path is taken apart again.
 *
 * <p>A container is a chroot at its root: {@code "services/api"} and {@code "/services/api"} both name
 * {@code <root>/services/api}, a trailing slash is ignored, and {@code ""} and {@code "/"} name the root itself. Empty
 * segments ({@code a//b}), {@code .} and {@code ..} segments and characters that ZooKeeper rejects are errors that name
 * the path, raised before anything is sent to the server.
 */
public final class ZkPaths {

    /** The path of the ZooKeeper root node. */
    public static final String ROOT = "/";

    private ZkPaths() {}

    /**
     * Normalises a container's root path: repeated slashes collapse into one, a trailing slash is dropped and a leading
     * slash is added, so {@code ///a//b/} becomes {@code /a/b} and {@code asab} becomes {@code /asab}. An empty string
     * or a string of slashes is the ZooKeeper root {@code /}. The result is then checked like any other path.
     *
     * @param root the configured root path
     * @return the normalised absolute root path
     * @throws IllegalArgumentException if a segment is {@code .} or {@code ..} or contains a character ZooKeeper
     *     rejects; the message names the path
     * @throws NullPointerException if {@code root} is null
     */
    public static String normalizeRoot(String root) {
        Objects.requireNonNull(root, "path must not be null");
        StringBuilder normalized = new StringBuilder(root.length() + 1);
        boolean afterSlash = false;
        for (int i = 0; i < root.length(); i++) {
            char c = root.charAt(i);
            if (c == '/') {
                afterSlash = true;
            } else {
                if (afterSlash || normalized.length() == 0) {
                    normalized.append('/');
                }
                normalized.append(c);
                afterSlash = false;
            }
        }
        if (normalized.length() == 0) {
            return ROOT;
        }
        String result = normalized.toString();
        checkSegments(result, 1, result.length(), root);
        return result;
    }

    /**
     * Places a path given to an operation under a container's root. A leading slash is optional and a trailing slash
     * is ignored; {@code ""} and {@code "/"} name the root itself.
     *
     * @param root the container's absolute, normalised root path, such as {@code /asab} or {@code /}
     * @param relativePath the path as the application gave it, such as {@code services/api} or {@code /services/api}
     * @return the absolute path on the server, such as {@code /asab/services/api}
     * @throws IllegalArgumentException if the path has empty segments, {@code .} or {@code ..} segments or characters
     *     ZooKeeper rejects (the message names the path), or if {@code root} is not a valid absolute path
     * @throws NullPointerException if either argument is null
     */
    public static String resolve(String root, String relativePath) {
        Objects.requireNonNull(root, "root must not be null");
        Objects.requireNonNull(relativePath, "path must not be null");
        requireAbsolute(root);
        if (relativePath.isEmpty() || relativePath.equals(ROOT)) {
            return root;
        }
        int from = relativePath.startsWith("/") ? 1 : 0;
        int to = relativePath.endsWith("/") ? relativePath.length() - 1 : relativePath.length();
        if (to <= from) {
            throw new IllegalArgumentException("path must not contain empty segments: " + show(relativePath));
        }
        checkSegments(relativePath, from, to, relativePath);
        // One string for the result, and none in between: this runs for every operation.
        boolean whole = to == relativePath.length();
        if (root.equals(ROOT)) {
            return from == 1 && whole ? relativePath : ROOT + relativePath.substring(from, to);
        }
        if (whole) {
            return from == 1 ? root.concat(relativePath) : root + "/" + relativePath;
        }
        return root + "/" + relativePath.substring(from, to);
    }

    /**
     * Joins an absolute parent path and a name (or a relative path already checked) below it.
     *
     * @param parent a valid absolute path
     * @param name one or more segments, without a leading or trailing slash
     * @return {@code /name} below the root, else {@code parent/name}
     */
    public static String child(String parent, String name) {
        return parent.equals(ROOT) ? ROOT + name : parent + "/" + name;
    }

    /**
     * The inverse of {@link #resolve(String, String)}: the path of a node as seen from inside the container, with a
     * leading slash, for reporting paths back to the application. The root itself is {@code /}.
     *
     * @param root the container's absolute, normalised root path
     * @param absolute an absolute path on the server at or below {@code root}
     * @return the path relative to the root, such as {@code /services/api}, or {@code /} for the root itself
     * @throws IllegalArgumentException if either path is invalid or {@code absolute} is not at or below {@code root}
     * @throws NullPointerException if either argument is null
     */
    public static String relativize(String root, String absolute) {
        Objects.requireNonNull(root, "root must not be null");
        Objects.requireNonNull(absolute, "path must not be null");
        requireAbsolute(root);
        requireAbsolute(absolute);
        if (root.equals(ROOT)) {
            return absolute;
        }
        if (absolute.equals(root)) {
            return ROOT;
        }
        if (isWithin(root, absolute)) {
            return absolute.substring(root.length());
        }
        throw new IllegalArgumentException("path " + show(absolute) + " is not under the root " + show(root));
    }

    /**
     * Whether an absolute path is {@code root} itself or below it.
     *
     * @param root an absolute, normalised path
     * @param absolute an absolute, normalised path
     * @return {@code true} for {@code root} and its descendants
     */
    public static boolean isWithin(String root, String absolute) {
        return root.equals(ROOT)
                || absolute.equals(root)
                || (absolute.startsWith(root)
                        && absolute.length() > root.length()
                        && absolute.charAt(root.length()) == '/');
    }

    /**
     * The parent of an absolute path: {@code /a/b} gives {@code /a}, {@code /a} gives {@code /}.
     *
     * @param absolute a valid absolute path other than {@code /}
     * @return the parent path
     * @throws IllegalArgumentException if the path is invalid or is the root {@code /}, which has no parent
     * @throws NullPointerException if {@code absolute} is null
     */
    public static String parent(String absolute) {
        requireAbsolute(absolute);
        if (absolute.equals(ROOT)) {
            throw new IllegalArgumentException("the root path / has no parent");
        }
        int lastSlash = absolute.lastIndexOf('/');
        return lastSlash == 0 ? ROOT : absolute.substring(0, lastSlash);
    }

    /**
     * The proper ancestors of an absolute path below {@code /}, outermost first, as needed to create missing parents:
     * {@code /a/b/c} gives {@code [/a, /a/b]}; {@code /a} and {@code /} give an empty list.
     *
     * @param absolute a valid absolute path
     * @return the ancestors, outermost first, not including {@code /} or the path itself; unmodifiable
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if {@code absolute} is null
     */
    public static List<String> ancestors(String absolute) {
        requireAbsolute(absolute);
        List<String> ancestors = new ArrayList<>();
        for (int i = absolute.indexOf('/', 1); i > 0; i = absolute.indexOf('/', i + 1)) {
            ancestors.add(absolute.substring(0, i));
        }
        return List.copyOf(ancestors);
    }

    /**
     * The ancestors of an absolute path followed by the path itself, outermost first, as needed to create the path
     * with its parents: {@code /a/b} gives {@code [/a, /a/b]}; {@code /} gives an empty list.
     *
     * @param absolute a valid absolute path
     * @return the ancestors and the path, outermost first; unmodifiable
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if {@code absolute} is null
     */
    public static List<String> ancestorsAndSelf(String absolute) {
        List<String> ancestors = ancestors(absolute);
        if (absolute.equals(ROOT)) {
            return ancestors;
        }
        List<String> all = new ArrayList<>(ancestors);
        all.add(absolute);
        return List.copyOf(all);
    }

    /**
     * The last segment of an absolute path: {@code /a/b} gives {@code b}; the root {@code /} gives {@code ""}.
     *
     * @param absolute a valid absolute path
     * @return the node's name
     * @throws IllegalArgumentException if the path is invalid
     * @throws NullPointerException if {@code absolute} is null
     */
    public static String name(String absolute) {
        requireAbsolute(absolute);
        return absolute.substring(absolute.lastIndexOf('/') + 1);
    }

    /**
     * Checks that a path is a valid absolute ZooKeeper path: it starts with {@code /}, does not end with {@code /}
     * (unless it is {@code /}) and has no empty, {@code .} or {@code ..} segments and no character ZooKeeper rejects.
     *
     * @param absolute the path to check
     * @return the same path
     * @throws IllegalArgumentException if the path is invalid; the message names it and the rule it breaks
     * @throws NullPointerException if {@code absolute} is null
     */
    public static String requireAbsolute(String absolute) {
        Objects.requireNonNull(absolute, "path must not be null");
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + show(absolute));
        }
        if (absolute.length() > 1) {
            if (absolute.endsWith("/")) {
                throw new IllegalArgumentException("path must not end with '/': " + show(absolute));
            }
            checkSegments(absolute, 1, absolute.length(), absolute);
        }
        return absolute;
    }

    /**
     * Whether ZooKeeper rejects a character in a path: U+0000 to U+001F, U+007F to U+009F, U+D800 to U+F8FF (which
     * includes every surrogate) and U+FFF0 to U+FFFF.
     *
     * @param c the character
     * @return {@code true} if a path containing {@code c} is invalid
     */
    public static boolean isRejected(char c) {
        return c <= '\u001f' || (c >= '\u007f' && c <= '\u009f') || (c >= '\ud800' && c <= '\uf8ff') || c >= '\ufff0';
    }

    /** Checks the slash-separated segments of {@code path} between {@code from} and {@code to}. */
    private static void checkSegments(String path, int from, int to, String shown) {
        int segmentStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || path.charAt(i) == '/') {
                checkSegment(path, segmentStart, i, shown);
                segmentStart = i + 1;
            }
        }
    }

    private static void checkSegment(String path, int from, int to, String shown) {
        int length = to - from;
        if (length == 0) {
            throw new IllegalArgumentException("path must not contain empty segments: " + show(shown));
        }
        if (path.charAt(from) == '.' && (length == 1 || (length == 2 && path.charAt(from + 1) == '.'))) {
            throw new IllegalArgumentException("path must not contain '.' or '..' segments: " + show(shown));
        }
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (isRejected(c)) {
                throw new IllegalArgumentException(
                        "path must not contain " + codePoint(c) + ", which ZooKeeper rejects: " + show(shown));
            }
        }
    }

    /**
     * A path as error messages show it: characters ZooKeeper rejects are written as Java escapes (a backslash, {@code u}
     * and four hex digits), so that a control character in a path stays visible in a log.
     *
     * @param path the path
     * @return the path, printable
     */
    public static String show(String path) {
        StringBuilder shown = null;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (isRejected(c)) {
                if (shown == null) {
                    shown = new StringBuilder(path.length() + 8).append(path, 0, i);
                }
                shown.append(String.format("\\u%04X", (int) c));
            } else if (shown != null) {
                shown.append(c);
            }
        }
        return shown == null ? path : shown.toString();
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
