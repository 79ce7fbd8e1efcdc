/**
 * JUnit 5 support: {@link io.reactivezk.testkit.junit.ZooKeeperExtension} gives tests a shared standalone server, a
 * per-class ensemble and a fresh chroot per test.
 */
@NullMarked
package io.reactivezk.testkit.junit;

import org.jspecify.annotations.NullMarked;
