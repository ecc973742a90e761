/**
 * IP addresses and prefixes as small immutable values: parsing without DNS, masking, containment and
 * the canonical text form (RFC 5952 for IPv6, as Go's {@code netip} prints it).
 */
package io.portcullis.policy.ip;
