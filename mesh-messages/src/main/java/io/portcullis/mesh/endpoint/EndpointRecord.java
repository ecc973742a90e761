package io.portcullis.mesh.endpoint;

import io.portcullis.mesh.Versioned;
import java.util.List;
import java.util.Map;

/**
 * A local endpoint registered on a node; key {@code node/namespace/name}. Removal is a tombstone.
 * Labels are the pod's own; identity-service derives the identity-relevant set.
 *
 * @param backends local mode only: per port of the endpoint ({@code "80"}), the {@code host:port} where
 *                 its real server listens; node-agent's HTTP proxy listens on the endpoint's addresses
 *                 at that port and forwards what policy allows. Null when none (readers ignore it).
 */
public record EndpointRecord(
        int schemaVersion,
        String node,
        String namespace,
        String name,
        Map<String, String> labels,
        Map<String, String> namespaceLabels,
        String serviceAccount,
        List<String> ips,
        Map<String, Integer> namedPorts,
        Map<String, String> backends) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    /** Without backends (every endpoint but a local-mode one with a proxied server). */
    public EndpointRecord(int schemaVersion, String node, String namespace, String name, Map<String, String> labels,
                          Map<String, String> namespaceLabels, String serviceAccount, List<String> ips,
                          Map<String, Integer> namedPorts) {
        this(schemaVersion, node, namespace, name, labels, namespaceLabels, serviceAccount, ips, namedPorts, null);
    }

    public Map<String, String> backendsOrEmpty() {
        return backends == null ? Map.of() : backends;
    }

    /** The endpoint's id within its node: {@code namespace/name}. */
    public String id() {
        return namespace + "/" + name;
    }

    /** The Kafka key: {@code node/namespace/name}. */
    public String key() {
        return node + "/" + id();
    }
}
