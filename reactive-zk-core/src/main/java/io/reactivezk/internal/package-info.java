/**
 * Implementation of reactive-zk. Not API: anything here and in the packages below may change in any release without
 * notice. This package assembles the service and its containers from the packages below, which depend on each other
 * in one direction only: {@code codec} &lt;- {@code session} &lt;- {@code operation} &lt;- {@code watch} &lt;-
 * {@code write} &lt;- this package.
 */
@NullMarked
package io.reactivezk.internal;

import org.jspecify.annotations.NullMarked;
