/**
 * Implementation of reactive-zk. Not API: anything here may change in any release without notice.
 */
@NullMarked
package io.reactivezk.internal;

import org.jspecify.annotations.NullMarked;
