/**
 * Real ZooKeeper servers for tests, from ZooKeeper's own server code: an in-process standalone server
 * ({@link io.reactivezk.testkit.EmbeddedZooKeeper}), an in-process quorum ({@link io.reactivezk.testkit.EmbeddedEnsemble}),
 * genuine server-side session expiry ({@link io.reactivezk.testkit.SessionExpirer}), a TCP link that breaks like a network
 * ({@link io.reactivezk.testkit.FaultyLink}), TLS material ({@link io.reactivezk.testkit.TlsFiles}) and a Testcontainers-backed server
 * for machines with Docker.
 */
@NullMarked
package io.reactivezk.testkit;

import org.jspecify.annotations.NullMarked;
