package io.portcullis.agent.state;

import io.portcullis.policy.ip.IpAddress;
import java.util.Map;

/**
 * An immutable view of this node's endpoints at one moment; readers (verdicts, REST) take one and never
 * lock.
 *
 * @param endpoints      registered endpoints by id ({@code namespace/name})
 * @param endpointsByIp  each local endpoint's addresses
 * @param newestRevision the highest revision of any compiled record or watermark seen for this node
 *                       ({@code -1}: none yet)
 * @param watermark      the node watermark's revision ({@code -1}: none)
 */
public record NodeSnapshot(String node, Map<String, LocalEndpoint> endpoints, Map<IpAddress, String> endpointsByIp,
                           long newestRevision, long watermark) {

    public NodeSnapshot {
        endpoints = Map.copyOf(endpoints);
        endpointsByIp = Map.copyOf(endpointsByIp);
    }

    public LocalEndpoint endpoint(String id) {
        return endpoints.get(id);
    }

    /** The local endpoint that owns this address, or null. */
    public LocalEndpoint endpointAt(IpAddress ip) {
        String id = endpointsByIp.get(ip);
        return id == null ? null : endpoints.get(id);
    }
}
