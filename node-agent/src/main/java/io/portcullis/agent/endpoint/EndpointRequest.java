package io.portcullis.agent.endpoint;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/endpoints} (contract item 2). Only {@code name} is required: namespace and
 * service account default to {@code default}, the maps and lists to empty. {@code backends} (local mode):
 * port → {@code host:port} of the endpoint's real server, which the HTTP proxy fronts on the endpoint's
 * addresses, or {@code kafka://host:port} of a Kafka broker, which the Kafka proxy fronts.
 */
public record EndpointRequest(String name, String namespace, Map<String, String> labels,
                              Map<String, String> namespaceLabels, String serviceAccount, List<String> ips,
                              Map<String, Integer> namedPorts, Map<String, String> backends) {

    public EndpointRequest(String name, String namespace, Map<String, String> labels,
                           Map<String, String> namespaceLabels, String serviceAccount, List<String> ips,
                           Map<String, Integer> namedPorts) {
        this(name, namespace, labels, namespaceLabels, serviceAccount, ips, namedPorts, null);
    }
}
