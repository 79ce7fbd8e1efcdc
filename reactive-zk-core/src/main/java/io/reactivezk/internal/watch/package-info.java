/**
 * Watches: the shared server watches behind the data, children, tree and configuration streams, and their delivery to subscribers. Depends on {@code operation}, {@code session} and {@code codec}.
 */
@NullMarked
package io.reactivezk.internal.watch;

import org.jspecify.annotations.NullMarked;
