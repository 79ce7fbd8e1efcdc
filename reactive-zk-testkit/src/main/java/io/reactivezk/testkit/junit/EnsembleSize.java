package io.reactivezk.testkit.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The number of members of the per-class {@link io.reactivezk.testkit.EmbeddedEnsemble} that
 * {@link ZooKeeperExtension} creates for a test class; 3 when absent.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface EnsembleSize {

    /**
     * The number of members.
     *
     * @return at least 3
     */
    int value();
}
