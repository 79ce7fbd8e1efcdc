package io.reactivezk;

/**
 * A write was refused before anything was sent because its request would exceed {@code jute.maxbuffer}, the largest
 * packet a ZooKeeper server accepts (1 MiB by default). Sending it anyway would make the server drop the connection.
 * Thrown when the write method is called, like every other argument error (an {@link IllegalArgumentException}); the
 * connection and the node are untouched.
 */
public class PayloadTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The absolute path of the node written. */
    private final String path;
    /** The payload size in bytes. */
    private final int size;
    /** The largest payload that fits, in bytes. */
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param path the absolute path of the node written
     * @param size the payload size in bytes
     * @param limit the largest payload accepted for this path, in bytes
     * @param maxBuffer the effective {@code jute.maxbuffer}
     */
    public PayloadTooLargeException(String path, int size, int limit, int maxBuffer) {
        super("payload for " + path + " is " + size + " bytes; at most " + limit + " bytes fit in a request under "
                + "jute.maxbuffer=" + maxBuffer + " (raise jute.maxbuffer on the servers and in the client properties, "
                + "or store less)");
        this.path = path;
        this.size = size;
        this.limit = limit;
    }

    /**
     * The node written.
     *
     * @return its absolute path
     */
    public String path() {
        return path;
    }

    /**
     * The payload size.
     *
     * @return bytes
     */
    public int size() {
        return size;
    }

    /**
     * The largest payload that fits.
     *
     * @return bytes
     */
    public int limit() {
        return limit;
    }
}
