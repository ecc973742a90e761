package io.portcullis.agent.endpoint;

import io.portcullis.agent.state.EndpointState;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.util.List;
import java.util.Map;

/**
 * An endpoint as {@code GET /v1/endpoints/{id}} shows it. {@code identity} and {@code policyRevision} are
 * absent until known; {@code state} is {@code ready} once the realized map is at the newest revision this
 * node has seen. {@code backends} (local mode, absent when none): port → the real server the HTTP proxy fronts.
 */
public record EndpointView(String id, String node, String namespace, String name, Map<String, String> labels,
                           Map<String, String> namespaceLabels, String serviceAccount, List<String> ips,
                           Map<String, Integer> namedPorts, Long identity, EndpointState state,
                           Long policyRevision, Map<String, String> backends) {

    public static EndpointView of(LocalEndpoint e) {
        EndpointRecord s = e.spec();
        return new EndpointView(e.id(), s.node(), s.namespace(), s.name(), s.labels(), s.namespaceLabels(),
                s.serviceAccount(), s.ips(), s.namedPorts(), e.identity(), e.state(), e.policyRevision(),
                s.backends());
    }
}
