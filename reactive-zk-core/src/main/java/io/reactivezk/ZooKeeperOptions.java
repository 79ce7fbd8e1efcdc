package io.reactivezk;

import io.reactivezk.metrics.ZooKeeperMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.zookeeper.data.ACL;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Immutable settings of a {@link ZooKeeperService} and its containers. Start from {@link #defaults()} or
 * {@link #builder()}; change a copy with {@link #mutate()}.
 *
 * <pre>{@code
 * ZooKeeperOptions options = ZooKeeperOptions.builder()
 *         .operationTimeout(Duration.ofSeconds(5))
 *         .publishOn(Schedulers.parallel())
 *         .build();
 * }</pre>
 */
public final class ZooKeeperOptions {

    /** How long an operation may take, waiting for a connection included: 10 seconds. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(10);

    /** How many times an idempotent operation is retried after a connection loss: 5. */
    public static final int DEFAULT_MAX_RETRIES = 5;

    /** First delay before such a retry: 50 ms, doubling with jitter. */
    public static final Duration DEFAULT_RETRY_MIN_BACKOFF = Duration.ofMillis(50);

    /** Longest delay between retries: 1 second. */
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(1);

    /** First delay before opening a session again after a handle could not be created or a session never connected: 100 ms. */
    public static final Duration DEFAULT_RECONNECT_MIN_BACKOFF = Duration.ofMillis(100);

    /** Longest delay between such attempts: 10 seconds. */
    public static final Duration DEFAULT_RECONNECT_MAX_BACKOFF = Duration.ofSeconds(10);

    /** How long closing a container waits for ZooKeeper's threads to end: 10 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** Thread cap of the blocking scheduler: Reactor's bounded-elastic default (10 per core). */
    public static final int DEFAULT_BLOCKING_THREAD_CAP = Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE;

    /** Queued-task cap of the blocking scheduler: Reactor's bounded-elastic default. */
    public static final int DEFAULT_BLOCKING_QUEUE_CAP = Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE;

    private static final ZooKeeperOptions DEFAULTS = new Builder().build();

    private final Duration operationTimeout;
    private final int maxRetries;
    private final Duration retryMinBackoff;
    private final Duration retryMaxBackoff;
    private final Duration reconnectMinBackoff;
    private final Duration reconnectMaxBackoff;
    private final Duration closeTimeout;
    private final int blockingThreadCap;
    private final int blockingQueueCap;
    private final @Nullable Scheduler publishOn;
    private final @Nullable JsonMapper jsonMapper;
    private final boolean canBeReadOnly;
    private final Map<String, String> clientProperties;
    private final List<Authentication> authentications;
    private final List<ACL> acl;
    private final ZooKeeperMetrics metrics;

    private ZooKeeperOptions(Builder builder) {
        this.operationTimeout = builder.operationTimeout;
        this.maxRetries = builder.maxRetries;
        this.retryMinBackoff = builder.retryMinBackoff;
        this.retryMaxBackoff = builder.retryMaxBackoff;
        this.reconnectMinBackoff = builder.reconnectMinBackoff;
        this.reconnectMaxBackoff = builder.reconnectMaxBackoff;
        this.closeTimeout = builder.closeTimeout;
        this.blockingThreadCap = builder.blockingThreadCap;
        this.blockingQueueCap = builder.blockingQueueCap;
        this.publishOn = builder.publishOn;
        this.jsonMapper = builder.jsonMapper;
        this.canBeReadOnly = builder.canBeReadOnly;
        this.clientProperties = Map.copyOf(builder.clientProperties);
        this.authentications = List.copyOf(builder.authentications);
        this.acl = builder.acl;
        this.metrics = builder.metrics;
    }

    /**
     * The default options.
     *
     * @return options with every {@code DEFAULT_*} value
     */
    public static ZooKeeperOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder holding a copy of every setting
     */
    public Builder mutate() {
        return new Builder(this);
    }

    /**
     * How long an operation may take, including the wait for a connection while {@link ConnectionState#SUSPENDED}
     * or {@link ConnectionState#LOST}; it then fails with {@link OperationTimeoutException}.
     *
     * @return the operation timeout
     */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /**
     * How many times an idempotent operation is retried after a transient failure (connection loss, session expiry).
     *
     * @return the retry count; 0 disables retries
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * First delay before a retry.
     *
     * @return the minimum retry backoff
     */
    public Duration retryMinBackoff() {
        return retryMinBackoff;
    }

    /**
     * Longest delay between retries.
     *
     * @return the maximum retry backoff
     */
    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    /**
     * First delay before a new session is opened again when the previous handle could not be created or its session
     * ended without ever connecting (an authentication failure, say). A session that connected is replaced without
     * delay when it is lost.
     *
     * @return the minimum reconnect backoff
     */
    public Duration reconnectMinBackoff() {
        return reconnectMinBackoff;
    }

    /**
     * Longest delay between such attempts.
     *
     * @return the maximum reconnect backoff
     */
    public Duration reconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /**
     * How long closing a container waits for ZooKeeper's client threads to end.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Thread cap of the service's blocking scheduler.
     *
     * @return the thread cap
     */
    public int blockingThreadCap() {
        return blockingThreadCap;
    }

    /**
     * Queued-task cap of the service's blocking scheduler.
     *
     * @return the queue cap
     */
    public int blockingQueueCap() {
        return blockingQueueCap;
    }

    /**
     * The scheduler that results and state events are published on, or {@code null} to signal on ZooKeeper's event
     * thread (the default: fastest, but user code there must not block or run long).
     *
     * @return the publish-on scheduler, if any
     */
    public @Nullable Scheduler publishOn() {
        return publishOn;
    }

    /**
     * The JSON mapper for {@code getData} and JSON writes, or {@code null} for the default: Jackson's defaults with
     * properties and map keys written in sorted order, so equal values always give equal bytes.
     *
     * @return the configured mapper, if any
     */
    public @Nullable JsonMapper jsonMapper() {
        return jsonMapper;
    }

    /**
     * Whether a container may connect to a read-only server when no quorum is reachable (ZooKeeper's read-only
     * mode); {@link ConnectionEvent#readOnly()} then says so.
     *
     * @return {@code false} by default
     */
    public boolean canBeReadOnly() {
        return canBeReadOnly;
    }

    /**
     * Extra ZooKeeper client properties for every container, such as {@code jute.maxbuffer} or
     * {@code zookeeper.request.timeout}.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> clientProperties() {
        return clientProperties;
    }

    /**
     * The credentials every session of a container presents, in order, before its first request: a new session after
     * an expiry presents them again, so nodes protected by ACLs stay readable.
     *
     * @return an unmodifiable list, empty by default
     */
    public List<Authentication> authentications() {
        return authentications;
    }

    /**
     * The ACL of the nodes a container creates on its own: its root path and the root's missing parents, and its
     * advertisement nodes with their missing parents. Nodes created with {@code create}, {@code upsert} or a
     * transaction take the ACL of their {@link CreateOptions}. With credentials and, say, {@code CREATOR_ALL_ACL}, a
     * container's own nodes are its user's alone; ASAB services that share the root then need the same credentials.
     *
     * @return an unmodifiable list; {@link CreateOptions#DEFAULT_ACL} (open, as ASAB creates them) by default
     */
    public List<ACL> acl() {
        return acl;
    }

    /**
     * Where the containers report operation timings, retries, connection losses, session expiries,
     * re-advertisements and gauges of their state and watches.
     *
     * @return {@link ZooKeeperMetrics#none()} (nothing recorded, nothing paid) by default
     */
    public ZooKeeperMetrics metrics() {
        return metrics;
    }

    /**
     * One credential for ZooKeeper's {@code addAuthInfo}, such as scheme {@code digest} with {@code user:password}.
     *
     * @param scheme the authentication scheme
     * @param auth the scheme's credential bytes
     */
    public record Authentication(String scheme, byte[] auth) {

        /**
         * Checks the components and copies the bytes.
         *
         * @param scheme the authentication scheme, not blank
         * @param auth the credential
         */
        public Authentication {
            Objects.requireNonNull(scheme, "authentication scheme must not be null");
            Objects.requireNonNull(auth, () -> "credential for scheme " + scheme + " must not be null");
            if (scheme.isBlank()) {
                throw new IllegalArgumentException("authentication scheme must not be blank");
            }
            auth = auth.clone();
        }

        /**
         * The credential bytes.
         *
         * @return a copy
         */
        @Override
        public byte[] auth() {
            return auth.clone();
        }

        /** Shows the scheme only: credentials stay out of logs. */
        @Override
        public String toString() {
            return "Authentication[" + scheme + "]";
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Authentication that && scheme.equals(that.scheme) && Arrays.equals(auth, that.auth);
        }

        @Override
        public int hashCode() {
            return 31 * scheme.hashCode() + Arrays.hashCode(auth);
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperOptions{operationTimeout=" + operationTimeout + ", maxRetries=" + maxRetries
                + ", retryBackoff=" + retryMinBackoff + ".." + retryMaxBackoff + ", reconnectBackoff="
                + reconnectMinBackoff + ".." + reconnectMaxBackoff + ", closeTimeout=" + closeTimeout
                + ", blockingThreadCap=" + blockingThreadCap + ", publishOn=" + publishOn + ", canBeReadOnly="
                + canBeReadOnly + ", clientProperties=" + clientProperties.keySet() + ", authentications="
                + authentications + ", acl=" + acl.size() + " entries, metrics=" + metrics + "}";
    }

    /** Builds {@link ZooKeeperOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryMinBackoff = DEFAULT_RETRY_MIN_BACKOFF;
        private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
        private Duration reconnectMinBackoff = DEFAULT_RECONNECT_MIN_BACKOFF;
        private Duration reconnectMaxBackoff = DEFAULT_RECONNECT_MAX_BACKOFF;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int blockingThreadCap = DEFAULT_BLOCKING_THREAD_CAP;
        private int blockingQueueCap = DEFAULT_BLOCKING_QUEUE_CAP;
        private @Nullable Scheduler publishOn;
        private @Nullable JsonMapper jsonMapper;
        private boolean canBeReadOnly;
        private final Map<String, String> clientProperties = new LinkedHashMap<>();
        private final List<Authentication> authentications = new ArrayList<>();
        private List<ACL> acl = CreateOptions.DEFAULT_ACL;
        private ZooKeeperMetrics metrics = ZooKeeperMetrics.none();

        private Builder() {}

        private Builder(ZooKeeperOptions options) {
            this.operationTimeout = options.operationTimeout;
            this.maxRetries = options.maxRetries;
            this.retryMinBackoff = options.retryMinBackoff;
            this.retryMaxBackoff = options.retryMaxBackoff;
            this.reconnectMinBackoff = options.reconnectMinBackoff;
            this.reconnectMaxBackoff = options.reconnectMaxBackoff;
            this.closeTimeout = options.closeTimeout;
            this.blockingThreadCap = options.blockingThreadCap;
            this.blockingQueueCap = options.blockingQueueCap;
            this.publishOn = options.publishOn;
            this.jsonMapper = options.jsonMapper;
            this.canBeReadOnly = options.canBeReadOnly;
            this.clientProperties.putAll(options.clientProperties);
            this.authentications.addAll(options.authentications);
            this.acl = options.acl;
            this.metrics = options.metrics;
        }

        /**
         * See {@link ZooKeeperOptions#operationTimeout()}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = positive("operationTimeout", timeout);
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#maxRetries()}.
         *
         * @param maxRetries zero or more
         * @return this builder
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#retryMinBackoff()} and {@link ZooKeeperOptions#retryMaxBackoff()}.
         *
         * @param min positive
         * @param max at least {@code min}
         * @return this builder
         */
        public Builder retryBackoff(Duration min, Duration max) {
            this.retryMinBackoff = positive("retryMinBackoff", min);
            this.retryMaxBackoff = atLeast("retryMaxBackoff", max, min);
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#reconnectMinBackoff()} and {@link ZooKeeperOptions#reconnectMaxBackoff()}.
         *
         * @param min positive
         * @param max at least {@code min}
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectMinBackoff = positive("reconnectMinBackoff", min);
            this.reconnectMaxBackoff = atLeast("reconnectMaxBackoff", max, min);
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#closeTimeout()}.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#blockingThreadCap()} and {@link ZooKeeperOptions#blockingQueueCap()}.
         *
         * @param threadCap at least 1
         * @param queueCap at least 1
         * @return this builder
         */
        public Builder blockingScheduler(int threadCap, int queueCap) {
            if (threadCap < 1 || queueCap < 1) {
                throw new IllegalArgumentException(
                        "blocking scheduler caps must be at least 1: threads=" + threadCap + ", queue=" + queueCap);
            }
            this.blockingThreadCap = threadCap;
            this.blockingQueueCap = queueCap;
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#publishOn()}.
         *
         * @param scheduler a scheduler the caller owns, or {@code null} to signal on ZooKeeper's event thread
         * @return this builder
         */
        public Builder publishOn(@Nullable Scheduler scheduler) {
            this.publishOn = scheduler;
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#jsonMapper()}.
         *
         * @param mapper the mapper, or {@code null} for the default
         * @return this builder
         */
        public Builder jsonMapper(@Nullable JsonMapper mapper) {
            this.jsonMapper = mapper;
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#canBeReadOnly()}.
         *
         * @param canBeReadOnly whether read-only servers are acceptable
         * @return this builder
         */
        public Builder canBeReadOnly(boolean canBeReadOnly) {
            this.canBeReadOnly = canBeReadOnly;
            return this;
        }

        /**
         * Adds a ZooKeeper client property, see {@link ZooKeeperOptions#clientProperties()}.
         *
         * @param key the property, such as {@code jute.maxbuffer}
         * @param value its value
         * @return this builder
         */
        public Builder clientProperty(String key, String value) {
            Objects.requireNonNull(key, "client property key must not be null");
            Objects.requireNonNull(value, "client property value must not be null: " + key);
            this.clientProperties.put(key, value);
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#acl()}.
         *
         * @param acl a non-empty ACL without {@code null} entries
         * @return this builder
         * @throws IllegalArgumentException if the ACL is empty or has a {@code null} entry
         */
        public Builder acl(List<ACL> acl) {
            this.acl = CreateOptions.builder().acl(acl).build().acl();
            return this;
        }

        /**
         * See {@link ZooKeeperOptions#metrics()}; for Micrometer, {@code metrics(ZooKeeperMetrics.micrometer(registry))}.
         *
         * @param metrics where the containers report
         * @return this builder
         */
        public Builder metrics(ZooKeeperMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
            return this;
        }

        /**
         * Adds a credential that every session presents, see {@link ZooKeeperOptions#authentications()}.
         *
         * @param scheme the scheme, such as {@code digest}
         * @param auth the credential, such as the UTF-8 bytes of {@code user:password}
         * @return this builder
         */
        public Builder authentication(String scheme, byte[] auth) {
            this.authentications.add(new Authentication(scheme, auth));
            return this;
        }

        /**
         * Adds a {@code digest} credential ({@code user:password}), the scheme of ZooKeeper's digest ACLs.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         */
        public Builder digest(String user, String password) {
            Objects.requireNonNull(user, "digest user must not be null");
            Objects.requireNonNull(password, () -> "digest password for " + user + " must not be null");
            return authentication("digest", (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Creates the options.
         *
         * @return immutable options
         */
        public ZooKeeperOptions build() {
            return new ZooKeeperOptions(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name + " must not be null");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        private static Duration atLeast(String name, Duration value, Duration min) {
            positive(name, value);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }
}
