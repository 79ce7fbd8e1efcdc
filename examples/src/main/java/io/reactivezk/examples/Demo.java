package io.reactivezk.examples;

import io.reactivezk.testkit.EmbeddedZooKeeper;

/**
 * The main demo. Uses the servers named by {@code ASAB_ZOOKEEPER_SERVERS}, or starts an embedded ZooKeeper when none
 * is configured.
 */
public final class Demo {

    private Demo() {}

    /**
     * Runs the demo.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        String servers = System.getenv("ASAB_ZOOKEEPER_SERVERS");
        if (servers != null && !servers.isBlank()) {
            System.out.println("Servers from ASAB_ZOOKEEPER_SERVERS: " + servers);
            return;
        }
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.startNew()) {
            System.out.println("Embedded ZooKeeper started on " + server.connectString());
            System.out.println("(The reactive client demo arrives with the core container.)");
        }
    }
}
