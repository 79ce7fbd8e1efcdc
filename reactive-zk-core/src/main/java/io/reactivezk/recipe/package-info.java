/**
 * Coordination recipes on the public container API: {@link io.reactivezk.recipe.ServiceDiscovery} (ASAB's
 * advertisements under {@code run/}), {@link io.reactivezk.recipe.LeaderElection} (ASAB's
 * {@code election/<scope>} layout, or a herd-free queue) and {@link io.reactivezk.recipe.DistributedLock}. Each is a
 * stream or a {@code Mono} whose cancellation is its cleanup: a cancelled candidate or waiter deletes its node at
 * once. Leadership and leases carry fences that a transaction can check, so that a write made after leadership or a
 * lease was lost fails on the server.
 */
@NullMarked
package io.reactivezk.recipe;

import org.jspecify.annotations.NullMarked;
