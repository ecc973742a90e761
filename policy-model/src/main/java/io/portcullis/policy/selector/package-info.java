/**
 * Compiled peer and subject selectors and the selector cache ({@code pkg/policy/types/selector.go},
 * {@code pkg/policy/selectorcache.go}): which identities each selector selects, kept up to date
 * incrementally as identities come and go.
 */
package io.portcullis.policy.selector;
