package io.portcullis.agent.endpoint;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/endpoints} (contract item 2). Only {@code name} is required: namespace and
 * service account default to {@code default}, the maps and lists to empty.
 */
public record EndpointRequest(String name, String namespace, Map<String, String> labels,
                              Map<String, String> namespaceLabels, String serviceAccount, List<String> ips,
                              Map<String, Integer> namedPorts) {}
