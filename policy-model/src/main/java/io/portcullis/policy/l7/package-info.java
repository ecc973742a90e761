/**
 * L7 request matchers: what the proxies ask once a flow was redirected to them. HTTP ({@code http}),
 * Kafka ({@code kafka}, Cilium ≤ 1.19 semantics) and DNS names ({@code dns}, for DNS L7 rules and
 * {@code toFQDNs} selectors).
 *
 * <p>Matchers are compiled once from the validated {@code api} records and are immutable and
 * thread-safe. Each exposes {@link io.portcullis.policy.l7.L7Matcher#matches}; richer results
 * (which rule allowed, header edits, denied Kafka topics) come from the {@code evaluate} methods.
 */
package io.portcullis.policy.l7;
