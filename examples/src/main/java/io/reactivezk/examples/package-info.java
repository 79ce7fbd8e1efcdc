/**
 * Runnable examples of reactive-zk: {@link io.reactivezk.examples.Demo} is the main demo, on an embedded ZooKeeper
 * unless servers are configured.
 */
@NullMarked
package io.reactivezk.examples;

import org.jspecify.annotations.NullMarked;
