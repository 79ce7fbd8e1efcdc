/**
 * Paths and encoding: container-relative and absolute paths, JSON and payload encoding, and ZooKeeper's result codes as reactive-zk exceptions. Depends on no other internal package.
 */
@NullMarked
package io.reactivezk.internal.codec;

import org.jspecify.annotations.NullMarked;
