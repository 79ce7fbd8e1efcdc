package io.reactivezk;

/** The container (or its service) is closed: no operation can run on it any more. */
public class ClientClosedException extends ZooKeeperClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which container is closed and what was attempted
     */
    public ClientClosedException(String message) {
        super(message);
    }
}
