package io.reactivezk;

import java.util.Objects;

/**
 * One identity the server knows this session by, as ZooKeeper's {@code whoAmI} tells: an authentication scheme and the
 * id in it ({@code ip} and the client's address, {@code digest} and the user name, {@code x509} and the certificate's
 * subject, ...).
 *
 * @param scheme the authentication scheme
 * @param id the identity in that scheme
 */
public record Identity(String scheme, String id) {

    /**
     * Checks the components.
     *
     * @param scheme the authentication scheme
     * @param id the identity in that scheme
     * @throws NullPointerException if a component is null
     */
    public Identity {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(id, "id");
    }
}
