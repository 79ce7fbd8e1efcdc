package io.reactivezk.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code block the README and {@code docs/} mark with {@code <!-- snippet: Class#name -->} must equal, line for
 * line, the region {@code // tag::name[]} ... {@code // end::name[]} of that class in this module's sources.
 */
class DocSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\w+)#([\\w-]+) -->");
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path PROJECT = MODULE.getParent();
    private static final Path SOURCES = MODULE.resolve("src/main/java/io/reactivezk/examples/snippets");

    record Quote(Path document, String className, String region, String text) {}

    static List<Quote> quotes() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(PROJECT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(PROJECT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<Quote> quotes = new ArrayList<>();
        for (Path document : documents) {
            List<String> lines = Files.readAllLines(document);
            for (int i = 0; i < lines.size(); i++) {
                Matcher marker = MARKER.matcher(lines.get(i));
                if (!marker.find()) {
                    continue;
                }
                assertThat(lines.get(i + 1))
                        .as("%s:%d: a snippet marker must precede ```java", document, i + 1)
                        .isEqualTo("```java");
                int end = i + 2;
                while (!lines.get(end).equals("```")) {
                    end++;
                }
                quotes.add(new Quote(
                        document, marker.group(1), marker.group(2), String.join("\n", lines.subList(i + 2, end))));
            }
        }
        return quotes;
    }

    static Map<String, String> regions(String className) throws IOException {
        Path file = SOURCES.resolve(className + ".java");
        if (!Files.exists(file)) {
            file = MODULE.resolve("src/main/java/io/reactivezk/examples/webflux")
                    .resolve(className + ".java");
        }
        String source = Files.readString(file);
        Matcher tags = Pattern.compile("(?s)\\n([ \\t]*)// tag::([\\w-]+)\\[]\\n(.*?)\\n[ \\t]*// end::\\2\\[]")
                .matcher(source);
        Map<String, String> regions = new LinkedHashMap<>();
        while (tags.find()) {
            String indent = tags.group(1);
            List<String> lines = new ArrayList<>();
            for (String line : tags.group(3).split("\n", -1)) {
                lines.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
            }
            regions.put(tags.group(2), String.join("\n", lines));
        }
        return regions;
    }

    @Test
    void everyQuotedSnippetIsTheCompiledCode() throws IOException {
        List<Quote> quotes = quotes();
        assertThat(quotes).as("the README and docs quote snippets").hasSizeGreaterThanOrEqualTo(3);
        for (Quote quote : quotes) {
            Map<String, String> regions = regions(quote.className());
            assertThat(regions)
                    .as("%s quotes %s#%s", quote.document(), quote.className(), quote.region())
                    .containsKey(quote.region());
            assertThat(quote.text())
                    .as(
                            "%s differs from %s#%s: copy the region again",
                            quote.document(), quote.className(), quote.region())
                    .isEqualTo(regions.get(quote.region()));
        }
    }
}
