package io.reactivezk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores for TLS between ZooKeeper clients and a server, made for a test with the JDK's own
 * {@code keytool}: a self-signed certificate for the server and one for the client (both for 127.0.0.1, valid two
 * days, EC P-256), each side trusting the other's. PKCS12 files in a directory the test owns.
 *
 * <p>{@link #clientProperties()} are the ZooKeeper client properties that make one client use them, through ZooKeeper's
 * Netty client socket; pass them per client ({@code ZKClientConfig}, or reactive-zk's {@code
 * ZooKeeperOptions.Builder#clientProperty}), never as JVM-wide system properties. {@link #serverProperties()} are the
 * server's side, which ZooKeeper's server reads from system properties only ({@link EmbeddedZooKeeper} sets them while
 * a TLS server runs).
 */
public final class TlsFiles {

    /** The password of every store: test material only. */
    public static final String PASSWORD = "testkit-secret";

    private final Path serverKeys;
    private final Path serverTrust;
    private final Path clientKeys;
    private final Path clientTrust;

    private TlsFiles(Path dir) {
        this.serverKeys = dir.resolve("server-keys.p12");
        this.serverTrust = dir.resolve("server-trust.p12");
        this.clientKeys = dir.resolve("client-keys.p12");
        this.clientTrust = dir.resolve("client-trust.p12");
    }

    /**
     * Generates the stores in {@code dir}.
     *
     * @param dir an existing, writable directory
     * @return the stores
     * @throws IllegalStateException if {@code keytool} is missing or fails (its output is in the message)
     */
    public static TlsFiles generate(Path dir) {
        Objects.requireNonNull(dir, "dir must not be null");
        TlsFiles files = new TlsFiles(dir);
        files.keyPair("server", files.serverKeys);
        files.keyPair("client", files.clientKeys);
        Path serverCert = dir.resolve("server.crt");
        Path clientCert = dir.resolve("client.crt");
        files.export("server", files.serverKeys, serverCert);
        files.export("client", files.clientKeys, clientCert);
        files.trust("server", serverCert, files.clientTrust);
        files.trust("client", clientCert, files.serverTrust);
        return files;
    }

    /**
     * The client properties for TLS with these stores: the Netty client socket, {@code zookeeper.client.secure}, and
     * the client's key and trust stores.
     *
     * @return property name to value
     */
    public Map<String, String> clientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("zookeeper.clientCnxnSocket", "org.apache.zookeeper.ClientCnxnSocketNetty");
        properties.put("zookeeper.client.secure", "true");
        properties.putAll(stores(clientKeys, clientTrust));
        return properties;
    }

    /**
     * The server's key and trust store properties.
     *
     * @return property name to value
     */
    public Map<String, String> serverProperties() {
        return stores(serverKeys, serverTrust);
    }

    private static Map<String, String> stores(Path keys, Path trust) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("zookeeper.ssl.keyStore.location", keys.toString());
        properties.put("zookeeper.ssl.keyStore.password", PASSWORD);
        properties.put("zookeeper.ssl.keyStore.type", "PKCS12");
        properties.put("zookeeper.ssl.trustStore.location", trust.toString());
        properties.put("zookeeper.ssl.trustStore.password", PASSWORD);
        properties.put("zookeeper.ssl.trustStore.type", "PKCS12");
        return properties;
    }

    private void keyPair(String alias, Path store) {
        keytool(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + alias + ".reactivezk.test",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD));
    }

    private void export(String alias, Path store, Path certificate) {
        keytool(List.of(
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                certificate.toString()));
    }

    private void trust(String alias, Path certificate, Path store) {
        keytool(List.of(
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD));
    }

    private static void keytool(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(arguments);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments.get(0) + " failed: "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    @Override
    public String toString() {
        return "TlsFiles[" + serverKeys.getParent() + "]";
    }
}
