package io.portcullis.mesh.endpoint;

import io.portcullis.mesh.Versioned;
import java.util.List;
import java.util.Map;

/**
 * A local endpoint registered on a node; key {@code node/namespace/name}. Removal is a tombstone.
 * Labels are the pod's own; identity-service derives the identity-relevant set.
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
        Map<String, Integer> namedPorts) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    /** The endpoint's id within its node: {@code namespace/name}. */
    public String id() {
        return namespace + "/" + name;
    }

    /** The Kafka key: {@code node/namespace/name}. */
    public String key() {
        return node + "/" + id();
    }
}
