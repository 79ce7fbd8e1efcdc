package io.reactivezk.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The super user of the testkit's in-process servers ({@link EmbeddedZooKeeper}, {@link EmbeddedEnsemble}): a digest
 * identity that passes every ACL check, for tests of what only an administrator may do (a dynamic reconfiguration, a
 * node whose ACL locks everyone out). Authenticate with scheme {@link #SCHEME} and {@link #credentials()}.
 *
 * <p>ZooKeeper reads its super-user digest ({@code zookeeper.DigestAuthenticationProvider.superDigest}) once per JVM,
 * when the digest provider is loaded; the testkit sets it before its first server starts, unless the property is
 * already set. A JVM that started a ZooKeeper server of its own before the testkit's has no testkit super user. The
 * forked servers ({@link ForkedZooKeeper}) run in their own process and have none.
 */
public final class SuperUser {

    /** The authentication scheme. */
    public static final String SCHEME = "digest";

    private static final String USER = "super";
    private static final String PASSWORD = "reactive-zk-testkit";

    private SuperUser() {}

    /**
     * The credentials to authenticate with.
     *
     * @return {@code user:password}
     */
    public static String credentials() {
        return USER + ":" + PASSWORD;
    }

    /** The value for ZooKeeper's super-digest property, computed as ZooKeeper does (without loading its class). */
    static String digest() {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA1").digest(credentials().getBytes(StandardCharsets.UTF_8));
            return USER + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA1", e);
        }
    }
}
