package io.reactivezk.internal.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's {@code glob.glob(pattern)} (not recursive) on POSIX, relative to a working directory: {@code *},
 * {@code ?} and {@code [...]} in any segment, names starting with a dot matched only by a pattern starting with a
 * dot, a pattern without wildcards returned as it is when the path exists, and matches in the directory's own order
 * (as {@code os.scandir} lists it; Python does not sort them, and neither does this).
 */
final class PyGlob {

    private PyGlob() {}

    /**
     * The paths matching a pattern, written as Python writes them (relative when the pattern is).
     *
     * @param pattern the pattern
     * @param workingDirectory what a relative pattern is relative to
     */
    static List<String> glob(String pattern, Path workingDirectory) {
        List<String> matches = new ArrayList<>();
        if (pattern.isEmpty()) {
            return matches;
        }
        if (!hasMagic(pattern)) {
            if (Files.exists(resolve(workingDirectory, pattern), LinkOption.NOFOLLOW_LINKS)) {
                matches.add(pattern);
            }
            return matches;
        }
        int slash = pattern.lastIndexOf('/');
        String base = pattern.substring(slash + 1);
        String directory = directoryOf(pattern.substring(0, slash + 1));
        List<String> directories;
        if (!directory.isEmpty() && hasMagic(directory)) {
            directories = new ArrayList<>();
            for (String candidate : glob(directory, workingDirectory)) {
                if (Files.isDirectory(resolve(workingDirectory, candidate))) {
                    directories.add(candidate);
                }
            }
        } else {
            directories = List.of(directory);
        }
        for (String parent : directories) {
            for (String name : inDirectory(parent, base, workingDirectory)) {
                matches.add(parent.isEmpty() ? name : parent.endsWith("/") ? parent + name : parent + "/" + name);
            }
        }
        return matches;
    }

    /** {@code os.path.split}'s head: trailing slashes dropped unless the head is nothing but slashes. */
    private static String directoryOf(String head) {
        int end = head.length();
        while (end > 0 && head.charAt(end - 1) == '/') {
            end--;
        }
        return end == 0 ? head : head.substring(0, end);
    }

    private static List<String> inDirectory(String directory, String base, Path workingDirectory) {
        List<String> names = new ArrayList<>();
        if (!hasMagic(base)) {
            Path path = resolve(workingDirectory, directory.isEmpty() ? base : directory + "/" + base);
            if (base.isEmpty() ? Files.isDirectory(path) : Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                names.add(base);
            }
            return names;
        }
        Pattern matcher = translate(base);
        boolean hidden = base.startsWith(".");
        Path path = resolve(workingDirectory, directory.isEmpty() ? "." : directory);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if ((hidden || !name.startsWith(".")) && matcher.matcher(name).matches()) {
                    names.add(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Python's glob treats a directory it cannot list as one without matches.
            return List.of();
        }
        return names;
    }

    private static Path resolve(Path workingDirectory, String path) {
        return workingDirectory.resolve(path);
    }

    static boolean hasMagic(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /** Python's {@code fnmatch.translate} for one path segment, case-sensitive as on POSIX. */
    static Pattern translate(String pattern) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i++);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pattern.charAt(j) == '!') {
                    j++;
                }
                if (j < n && pattern.charAt(j) == ']') {
                    j++;
                }
                while (j < n && pattern.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    regex.append("\\[");
                } else {
                    regex.append(characterClass(pattern.substring(i, j)));
                    i = j + 1;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static String characterClass(String body) {
        boolean negated = body.startsWith("!");
        String members = negated ? body.substring(1) : body;
        StringBuilder out = new StringBuilder(negated ? "[^" : "[");
        for (int k = 0; k < members.length(); k++) {
            char c = members.charAt(k);
            if (c == '-' && k > 0 && k < members.length() - 1) {
                out.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else {
                out.append('\\').append(c);
            }
        }
        return out.append(']').toString();
    }
}
