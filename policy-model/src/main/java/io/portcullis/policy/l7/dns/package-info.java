/**
 * DNS name matching for DNS L7 rules and {@code toFQDNs}: normalisation ({@link
 * io.portcullis.policy.l7.dns.DnsNames}), {@code matchName}/{@code matchPattern} → RE2 regex ({@link
 * io.portcullis.policy.l7.dns.MatchPattern}, Cilium 1.19+ {@code pkg/fqdn/matchpattern}), and the
 * compiled OR of selectors ({@link io.portcullis.policy.l7.dns.DnsNameMatcher}).
 */
package io.portcullis.policy.l7.dns;
