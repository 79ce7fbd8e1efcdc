package io.reactivezk;

/**
 * A container could not be described: a malformed {@code zookeeper://} URL, no servers from any source, a bad port,
 * an invalid root path or an unreadable timeout. Thrown when the container is created, never later; the message
 * names the offending input and the rule it breaks.
 */
public class ZooKeeperConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the offending input and the rule it breaks
     */
    public ZooKeeperConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message the offending input and the rule it breaks
     * @param cause the underlying failure
     */
    public ZooKeeperConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
