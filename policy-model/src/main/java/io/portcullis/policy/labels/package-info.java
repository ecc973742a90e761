/**
 * Cilium labels ({@code pkg/labels}): {@code source:key=value} triples, the label sets that identities
 * are made of, and the filter that decides which labels are identity-relevant.
 */
package io.portcullis.policy.labels;
