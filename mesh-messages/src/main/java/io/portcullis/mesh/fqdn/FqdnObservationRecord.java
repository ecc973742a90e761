package io.portcullis.mesh.fqdn;

import io.portcullis.mesh.Versioned;
import java.util.List;

/**
 * A DNS answer seen for an endpoint: the question name and every A/AAAA address tied to it (CNAME chain
 * collapsed), with the answer's TTL (minimum over its records, already raised to the minimum TTL).
 * Written by dns-proxy-service (and by fqdn-cache-service for {@code POST /v1/fqdn/observations}) to
 * {@code portcullis.fqdn-observations}, key {@code node/namespace/name/qname}.
 *
 * @param node       the node the querying endpoint runs on
 * @param endpoint   the querying endpoint, {@code namespace/name}
 * @param name       the question name, lower case, without the trailing dot
 * @param ips        addresses in canonical text form
 * @param ttlSeconds how long the answer may be used
 * @param observedAt epoch milliseconds when the answer was seen
 * @param source     {@code dns-proxy} or {@code api}
 */
public record FqdnObservationRecord(int schemaVersion, String node, String endpoint, String name, List<String> ips,
        long ttlSeconds, long observedAt, String source) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public FqdnObservationRecord {
        ips = ips == null ? List.of() : List.copyOf(ips);
    }

    public static FqdnObservationRecord of(String node, String endpoint, String name, List<String> ips,
            long ttlSeconds, long observedAt, String source) {
        return new FqdnObservationRecord(SCHEMA_VERSION, node, endpoint, name, ips, ttlSeconds, observedAt, source);
    }

    /** The compaction key: one record per endpoint and name, the newest answer wins. */
    public String key() {
        return node + "/" + endpoint + "/" + name;
    }
}
