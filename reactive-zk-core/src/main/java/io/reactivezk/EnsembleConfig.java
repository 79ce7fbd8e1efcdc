package io.reactivezk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The ensemble's membership as a server committed it: the content of {@code /zookeeper/config}, which ZooKeeper 3.5+
 * keeps (and changes on a dynamic reconfiguration). A standalone server, or a server that never wrote one, has an
 * empty configuration: no members and version 0.
 *
 * @param version the configuration's version (ZooKeeper writes it in hexadecimal, as the zxid that committed it)
 * @param members the members, sorted by id
 * @param text the configuration exactly as the server holds it, for tools that parse it themselves
 */
public record EnsembleConfig(long version, List<Member> members, String text) {

    /**
     * Copies the members.
     *
     * @param version the configuration's version
     * @param members the members
     * @param text the configuration as the server holds it
     * @throws NullPointerException if a component is null
     */
    public EnsembleConfig {
        members = List.copyOf(members);
        Objects.requireNonNull(text, "text");
    }

    /**
     * The member with an id.
     *
     * @param id the server id ({@code N} of {@code server.N})
     * @return the member, or empty if there is none with that id
     */
    public Optional<Member> member(long id) {
        return members.stream().filter(m -> m.id() == id).findFirst();
    }

    /**
     * Reads the configuration's text ({@code server.N=...} lines and a {@code version=} line, in ZooKeeper's dynamic
     * configuration format). Lines it does not know are kept in {@link #text()} only.
     *
     * @param text the content of {@code /zookeeper/config}
     * @return the configuration
     * @throws IllegalArgumentException if a {@code server.N} id or the version is not a number
     */
    public static EnsembleConfig parse(String text) {
        Objects.requireNonNull(text, "text");
        long version = 0;
        List<Member> members = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (key.equals("version")) {
                version = parseNumber(value, 16, line);
            } else if (key.startsWith("server.")) {
                members.add(Member.parse(parseNumber(key.substring("server.".length()), 10, line), value));
            }
        }
        members.sort(Comparator.comparingLong(Member::id));
        return new EnsembleConfig(version, members, text);
    }

    private static long parseNumber(String digits, int radix, String line) {
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ensemble configuration: not a number in line '" + line + "'", e);
        }
    }

    /**
     * One server of the ensemble, from its line {@code server.N=addresses[:role][;clientAddress]}.
     *
     * @param id the server id
     * @param role {@code participant} (votes) or {@code observer}
     * @param addresses the quorum and election addresses as written, such as {@code 10.0.0.1:2888:3888} (several,
     *     separated by {@code |}, on ZooKeeper 3.6+ multi-address setups)
     * @param clientAddress where clients connect, such as {@code 0.0.0.0:2181}, or null if the line has none
     * @param spec the whole value of the line, as written
     */
    public record Member(
            long id,
            String role,
            String addresses,
            @Nullable String clientAddress,
            String spec) {

        /**
         * Checks the components.
         *
         * @param id the server id
         * @param role the role
         * @param addresses the quorum and election addresses
         * @param clientAddress the client address, or null
         * @param spec the whole value of the line
         * @throws NullPointerException if a component other than {@code clientAddress} is null
         */
        public Member {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(addresses, "addresses");
            Objects.requireNonNull(spec, "spec");
        }

        /**
         * Whether this member votes.
         *
         * @return {@code true} for a participant
         */
        public boolean isParticipant() {
            return role.equals("participant");
        }

        private static Member parse(long id, String spec) {
            int semicolon = spec.indexOf(';');
            String servers = semicolon < 0 ? spec : spec.substring(0, semicolon).strip();
            String client = semicolon < 0 ? null : spec.substring(semicolon + 1).strip();
            String role = "participant";
            int lastColon = servers.lastIndexOf(':');
            if (lastColon >= 0) {
                String last = servers.substring(lastColon + 1);
                if (last.equals("participant") || last.equals("observer")) {
                    role = last;
                    servers = servers.substring(0, lastColon);
                }
            }
            return new Member(id, role, servers, client == null || client.isEmpty() ? null : client, spec);
        }
    }
}
