package io.reactivezk;

import org.jspecify.annotations.Nullable;

/**
 * A node's data could not be decoded as requested (empty or invalid JSON, or JSON of another shape than the requested
 * type), or a value could not be encoded. {@link #path()} names the node. The node itself is untouched: its bytes can
 * still be read with {@code getRawData}.
 */
public class DataFormatException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /** The absolute path of the node whose data could not be decoded. */
    private final String path;

    /**
     * Creates the exception.
     *
     * @param message the problem, naming the path
     * @param path the absolute path of the node
     * @param cause the decoder's exception, if any
     */
    public DataFormatException(String message, String path, @Nullable Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /**
     * The node whose data could not be decoded or encoded.
     *
     * @return its absolute path on the server
     */
    public String path() {
        return path;
    }
}
