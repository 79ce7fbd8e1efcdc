package io.reactivezk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Python process running Kazoo (the client ASAB is built on) that plays an ASAB service: {@code
 * interop/kazoo_peer.py}, driven one JSON line at a time over its stdin and stdout.
 */
final class KazooPeer implements AutoCloseable {

    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final StringBuilder errors = new StringBuilder();

    private KazooPeer(String python, Path script, String connectString) throws IOException {
        process = new ProcessBuilder(python, script.toString(), connectString).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), "kazoo-peer-out", line -> replies.add(line));
        pump(process.getErrorStream(), "kazoo-peer-err", line -> {
            synchronized (errors) {
                errors.append(line).append('\n');
            }
        });
        JsonNode ready = reply();
        if (!ready.path("ready").asBoolean()) {
            throw new IllegalStateException("the Kazoo peer did not start: " + ready);
        }
    }

    /**
     * The first Python interpreter that can import Kazoo: {@code $REACTIVE_ZK_PYTHON}, then {@code python3} on the
     * path, then {@code /usr/bin/python3} (where Debian's {@code python3-kazoo} installs it).
     */
    static synchronized Optional<String> python() {
        if (probed == null) {
            probed = probe();
        }
        return probed;
    }

    private static @Nullable Optional<String> probed;

    private static Optional<String> probe() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("REACTIVE_ZK_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String candidate : candidates) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import kazoo")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(candidate);
                }
                probe.destroyForcibly();
            } catch (IOException e) {
                // not installed: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Starts a peer connected to {@code connectString}; returns once its session is connected. */
    static KazooPeer start(String python, String connectString) {
        try (InputStream source = KazooPeer.class.getResourceAsStream("/interop/kazoo_peer.py")) {
            if (source == null) {
                throw new IllegalStateException("interop/kazoo_peer.py is not on the test class path");
            }
            Path script = Files.createTempFile("kazoo_peer", ".py");
            script.toFile().deleteOnExit();
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
            return new KazooPeer(python, script, connectString);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kazoo peer", e);
        }
    }

    /** Sends one command ({@code op} plus alternating keys and values) and returns its reply. */
    JsonNode call(String op, Object... keysAndValues) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("op", op);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            command.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            commands.write(JSON.writeValueAsString(command));
            commands.write('\n');
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the Kazoo peer is gone: " + stderr(), e);
        }
        JsonNode reply = reply();
        if (reply.has("error")) {
            throw new IllegalStateException(
                    "Kazoo peer, " + op + ": " + reply.get("error").asString());
        }
        return reply;
    }

    /** The data of a node as Kazoo reads it, or {@code null} when it is missing. */
    byte @Nullable [] data(String absolutePath) {
        JsonNode reply = call("get", "path", absolutePath);
        return reply.has("absent")
                ? null
                : Base64.getDecoder().decode(reply.get("base64").asString());
    }

    /** The ephemeral owner of a node as Kazoo reads it (0 for a persistent node). */
    long owner(String absolutePath) {
        return call("get", "path", absolutePath).get("owner").asLong();
    }

    List<String> children(String absolutePath) {
        List<String> children = new ArrayList<>();
        call("children", "path", absolutePath).get("children").forEach(child -> children.add(child.asString()));
        return children;
    }

    /** Every value Kazoo's {@code DataWatch} on {@code absolutePath} has reported, {@code null} for "no node". */
    List<@Nullable String> watched(String absolutePath) {
        List<@Nullable String> values = new ArrayList<>();
        call("watched", "path", absolutePath)
                .get("values")
                .forEach(value -> values.add(value.isNull() ? null : value.asString()));
        return values;
    }

    private JsonNode reply() {
        try {
            String line = replies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException(
                        "no reply from the Kazoo peer within " + REPLY_TIMEOUT + "; its stderr:\n" + stderr());
            }
            return JSON.readTree(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String stderr() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    private static void pump(InputStream stream, String name, java.util.function.Consumer<String> sink) {
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            sink.accept(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Closes the Kazoo session (its ephemeral nodes vanish) and ends the process. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                call("stop");
            }
        } finally {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
