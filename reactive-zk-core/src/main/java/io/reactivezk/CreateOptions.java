package io.reactivezk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.jspecify.annotations.Nullable;

/**
 * How {@link ZooKeeperContainer#create(String, Object, CreateOptions)} creates a node: its mode, ACL, TTL and whether
 * missing parents are created (and as which kind). Immutable.
 *
 * <pre>{@code
 * CreateOptions.persistent().withParents()
 * CreateOptions.of(CreateMode.EPHEMERAL_SEQUENTIAL)
 * CreateOptions.builder().mode(CreateMode.PERSISTENT_WITH_TTL).ttl(Duration.ofMinutes(5)).build()
 * }</pre>
 */
public final class CreateOptions {

    /** The default ACL: open to everyone, as ZooKeeper's {@code OPEN_ACL_UNSAFE} and ASAB use. */
    public static final List<ACL> DEFAULT_ACL = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    private static final CreateOptions PERSISTENT = builder().build();

    private final CreateMode mode;
    private final List<ACL> acl;
    private final boolean createParents;
    private final CreateMode parentMode;
    private final @Nullable Duration ttl;

    private CreateOptions(Builder builder) {
        this.mode = builder.mode;
        // Not List.copyOf: ZooKeeper's own ACL check asks contains(null), which immutable lists refuse with an NPE.
        this.acl = Collections.unmodifiableList(new ArrayList<>(builder.acl));
        this.createParents = builder.createParents;
        this.parentMode = builder.parentMode;
        this.ttl = builder.ttl;
        if (mode.isTTL() && ttl == null) {
            throw new IllegalArgumentException("mode " + mode + " needs a ttl");
        }
        if (!mode.isTTL() && ttl != null) {
            throw new IllegalArgumentException("a ttl is only valid with a TTL mode, not " + mode);
        }
    }

    /**
     * A persistent node, default ACL, parents must exist.
     *
     * @return the options
     */
    public static CreateOptions persistent() {
        return PERSISTENT;
    }

    /**
     * A node of the given mode, default ACL, parents must exist.
     *
     * @param mode any mode except the TTL ones, which need {@link Builder#ttl(Duration)}
     * @return the options
     */
    public static CreateOptions of(CreateMode mode) {
        return builder().mode(mode).build();
    }

    /**
     * A builder starting from a persistent node.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same options, creating missing parents as persistent nodes.
     *
     * @return the options
     */
    public CreateOptions withParents() {
        return mutate().createParents(true).build();
    }

    /**
     * A builder holding these options.
     *
     * @return the builder
     */
    public Builder mutate() {
        return new Builder(this);
    }

    /**
     * The node's mode.
     *
     * @return the mode
     */
    public CreateMode mode() {
        return mode;
    }

    /**
     * The node's ACL (and its created parents').
     *
     * @return the ACL
     */
    public List<ACL> acl() {
        return acl;
    }

    /**
     * Whether missing parents are created.
     *
     * @return {@code false} by default
     */
    public boolean createParents() {
        return createParents;
    }

    /**
     * The mode of created parents: {@link CreateMode#PERSISTENT} or {@link CreateMode#CONTAINER}.
     *
     * @return the parents' mode
     */
    public CreateMode parentMode() {
        return parentMode;
    }

    /**
     * The time to live of a TTL node.
     *
     * @return the TTL, or {@code null} when the mode is not a TTL mode
     */
    public @Nullable Duration ttl() {
        return ttl;
    }

    @Override
    public String toString() {
        return "CreateOptions{" + mode + (ttl != null ? " ttl=" + ttl : "")
                + (createParents ? ", parents " + parentMode : "") + ", acl=" + acl.size() + " entries}";
    }

    /** Builds {@link CreateOptions}. */
    public static final class Builder {
        private CreateMode mode = CreateMode.PERSISTENT;
        private List<ACL> acl = DEFAULT_ACL;
        private boolean createParents;
        private CreateMode parentMode = CreateMode.PERSISTENT;
        private @Nullable Duration ttl;

        private Builder() {}

        private Builder(CreateOptions options) {
            this.mode = options.mode;
            this.acl = options.acl;
            this.createParents = options.createParents;
            this.parentMode = options.parentMode;
            this.ttl = options.ttl;
        }

        /**
         * The node's mode.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(CreateMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode must not be null");
            return this;
        }

        /**
         * The ACL of the node and of created parents.
         *
         * @param acl a non-empty ACL
         * @return this builder
         */
        public Builder acl(List<ACL> acl) {
            Objects.requireNonNull(acl, "acl must not be null");
            if (acl.isEmpty()) {
                throw new IllegalArgumentException("acl must not be empty");
            }
            for (ACL entry : acl) {
                if (entry == null) {
                    throw new IllegalArgumentException("acl must not contain null entries: " + acl);
                }
            }
            this.acl = acl;
            return this;
        }

        /**
         * Whether missing parents are created.
         *
         * @param createParents {@code true} to create them
         * @return this builder
         */
        public Builder createParents(boolean createParents) {
            this.createParents = createParents;
            return this;
        }

        /**
         * The mode of created parents.
         *
         * @param parentMode {@link CreateMode#PERSISTENT} or {@link CreateMode#CONTAINER}
         * @return this builder
         */
        public Builder parentMode(CreateMode parentMode) {
            Objects.requireNonNull(parentMode, "parentMode must not be null");
            if (parentMode != CreateMode.PERSISTENT && parentMode != CreateMode.CONTAINER) {
                throw new IllegalArgumentException("parents can only be PERSISTENT or CONTAINER: " + parentMode);
            }
            this.parentMode = parentMode;
            return this;
        }

        /**
         * The time to live of a TTL node ({@link CreateMode#PERSISTENT_WITH_TTL},
         * {@link CreateMode#PERSISTENT_SEQUENTIAL_WITH_TTL}); the server must enable TTL nodes.
         *
         * @param ttl positive
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl must not be null");
            if (ttl.toMillis() <= 0) {
                throw new IllegalArgumentException("ttl must be at least 1 ms: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Creates the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a TTL mode has no TTL, or a TTL is given for another mode
         */
        public CreateOptions build() {
            return new CreateOptions(this);
        }
    }
}
