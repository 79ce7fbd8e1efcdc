/**
 * Writes and advertisements: creates that survive retries, upserts, recursive deletes, transactions and the advertisements kept alive across sessions. Depends on {@code watch}, {@code operation}, {@code session} and {@code codec}.
 */
@NullMarked
package io.reactivezk.internal.write;

import org.jspecify.annotations.NullMarked;
