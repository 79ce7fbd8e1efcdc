/**
 * Session and connection: resolving a spec, the ZooKeeper handle's life (open, reconnect, expire, close) and the connection-state stream. Depends on {@code codec}.
 */
@NullMarked
package io.reactivezk.internal.session;

import org.jspecify.annotations.NullMarked;
