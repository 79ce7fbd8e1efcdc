package io.reactivezk.internal.write;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nodes this container's creates were handed, so that a retried create never takes a node that another caller
 * in the same container created: "owned by this session and holding the same data" does not tell two callers apart
 * (two lock contenders, two advertisements with equal data). A create claims its node when its reply arrives; a
 * retried create adopts only an unclaimed node. A delete through the container releases the claim.
 *
 * <p>Claims name the session they were made in; a claim of an earlier session is not a claim. The table keeps the
 * most recent {@link #CAPACITY} claims, which bounds its memory for containers that create without ever deleting
 * (persistent nodes); a retry that finds a node claimed longer ago than that may adopt it.
 */
public final class Claims {

    /** How many claims are kept. */
    static final int CAPACITY = 100_000;

    private final Map<String, Long> bySession = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A create of {@code path} in {@code sessionId} succeeded: the node is that caller's, whatever was known. */
    synchronized void created(String path, long sessionId) {
        bySession.put(path, sessionId);
    }

    /**
     * A retried create found {@code path} and would take it as its own.
     *
     * @return {@code false} if another caller was handed it in that session: it is not this caller's
     */
    synchronized boolean adopt(String path, long sessionId) {
        Long owner = bySession.get(path);
        if (owner != null && owner == sessionId) {
            return false;
        }
        bySession.put(path, sessionId);
        return true;
    }

    /** Whether {@code path} was handed to a caller in {@code sessionId}. */
    synchronized boolean isClaimed(String path, long sessionId) {
        Long owner = bySession.get(path);
        return owner != null && owner == sessionId;
    }

    /** The node was deleted through the container. */
    synchronized void release(String path) {
        bySession.remove(path);
    }
}
