/**
 * The code the README and {@code docs/} quote. Each quoted region sits between {@code // tag::name[]} and
 * {@code // end::name[]}; {@code DocSnippetsTest} fails when a document's copy differs, and {@code DocSnippetsIT} runs
 * the regions against a real server.
 */
@NullMarked
package io.reactivezk.examples.snippets;

import org.jspecify.annotations.NullMarked;
