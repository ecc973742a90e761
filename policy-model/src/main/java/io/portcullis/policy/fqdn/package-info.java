/**
 * The FQDN cache (CILIUM-SEMANTICS §4.3–4.6): DNS answers seen per endpoint, with TTL expiry, caps,
 * zombies and GC ({@link io.portcullis.policy.fqdn.FqdnCache}, modelled on Cilium's {@code pkg/fqdn}
 * {@code DNSCache} and {@code DNSZombieMappings}), and which toFQDNs selectors select each learned IP
 * ({@link io.portcullis.policy.fqdn.FqdnSelections}). Plain Java; fqdn-cache-service wires it to Kafka.
 */
package io.portcullis.policy.fqdn;
