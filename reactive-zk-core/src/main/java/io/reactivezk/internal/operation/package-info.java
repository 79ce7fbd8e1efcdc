/**
 * Operations and retries: each asynchronous ZooKeeper call as a cold {@code Mono}, with waiting for CONNECTED, retries, the operation timeout and the publish-on scheduler. Depends on {@code session} and {@code codec}.
 */
@NullMarked
package io.reactivezk.internal.operation;

import org.jspecify.annotations.NullMarked;
