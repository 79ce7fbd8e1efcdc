package io.reactivezk.recipe;

import io.reactivezk.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One candidate's view of an election, as {@link LeaderElection} emits it.
 *
 * <p>{@link Role#LEADER} is emitted only after the server has confirmed it: the election node exists and its
 * {@code ephemeralOwner} is this container's current session. It carries a {@linkplain #guard(Transaction) fence}
 * that a write can include in its transaction, so that a leader that has been deposed meanwhile (its session expired
 * while it was paused, say) has its late write refused by the server rather than applied.
 *
 * @param role leader, follower, or unknown while the connection is down
 * @param scope the election's scope
 * @param leaderData the current leader's candidate data (this candidate's own when it leads); {@code null} when
 *     unknown or when no leader is known yet
 * @param sessionId the session the view is about; 0 while unknown
 * @param token the fencing token: the election node's creation zxid ({@code czxid}) while leading, else 0; a later
 *     leadership always has a greater token
 * @param fence the checks {@link #guard(Transaction)} adds: container-relative path and expected version of each
 */
public record Leadership(
        Role role, String scope, byte @Nullable [] leaderData, long sessionId, long token, List<Check> fence) {

    /** A candidate's role. */
    public enum Role {
        /** This candidate leads, as the server confirmed. */
        LEADER,
        /** Another candidate leads (see {@link #leaderData()}), or the election is being decided. */
        FOLLOWER,
        /**
         * The connection is down (SUSPENDED or LOST) or read-only: this candidate cannot know whether it still leads,
         * and must act as if it did not. Emitted at once when the connection drops.
         */
        UNKNOWN
    }

    /**
     * One check of a fence: a node that must exist at a version.
     *
     * @param path the node, relative to the container's root
     * @param version the version it must have
     */
    public record Check(String path, int version) {}

    /**
     * Checks the components and copies the data.
     *
     * @param role the role
     * @param scope the scope
     * @param leaderData the leader's data
     * @param sessionId the session
     * @param token the fencing token
     * @param fence the fence's checks
     */
    public Leadership {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
        leaderData = leaderData == null ? null : leaderData.clone();
        fence = List.copyOf(fence);
    }

    static Leadership unknown(String scope) {
        return new Leadership(Role.UNKNOWN, scope, null, 0, 0, List.of());
    }

    /**
     * Whether this candidate leads.
     *
     * @return {@code role() == LEADER}
     */
    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /**
     * The leader's data.
     *
     * @return a copy, or {@code null} if unknown
     */
    @Override
    public byte @Nullable [] leaderData() {
        return leaderData == null ? null : leaderData.clone();
    }

    /**
     * The leader's data as UTF-8 text, such as ASAB's {@code instance_id: ...} lines.
     *
     * @return the text, or {@code null} if unknown
     */
    public @Nullable String leaderText() {
        return leaderData == null ? null : new String(leaderData, StandardCharsets.UTF_8);
    }

    /**
     * Adds this leadership's fence to a transaction: a check of each fence node at its version, so that the whole
     * transaction fails on the server (with a {@code BadVersion} or {@code NoNode} result) if this candidate no
     * longer leads when the server applies it.
     *
     * @param transaction the transaction of the container that joined the election
     * @return the same transaction, for chaining
     * @throws IllegalStateException if this is not a {@link Role#LEADER} view
     */
    public Transaction guard(Transaction transaction) {
        Objects.requireNonNull(transaction, "transaction must not be null");
        if (role != Role.LEADER) {
            throw new IllegalStateException(
                    "only a leader's writes can be fenced; this candidate is " + role + " in scope '" + scope + "'");
        }
        for (Check check : fence) {
            transaction.check(check.path(), check.version());
        }
        return transaction;
    }

    /**
     * Views are equal when every component is, the leader's data by content.
     *
     * @param other the object to compare with
     * @return whether it is an equal view
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return this == other
                || (other instanceof Leadership that
                        && role == that.role
                        && scope.equals(that.scope)
                        && Arrays.equals(leaderData, that.leaderData)
                        && sessionId == that.sessionId
                        && token == that.token
                        && fence.equals(that.fence));
    }

    /**
     * A hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(role, scope, Arrays.hashCode(leaderData), sessionId, token, fence);
    }

    /**
     * The role, the scope, the leader's data on one line and, for a leader, the token.
     *
     * @return a compact description
     */
    @Override
    public String toString() {
        return "Leadership{" + role + " in '" + scope + "'"
                + (leaderData == null ? "" : ", leader " + leaderText().strip().replace('\n', ' '))
                + (role == Role.LEADER ? ", token 0x" + Long.toHexString(token) : "") + "}";
    }
}
