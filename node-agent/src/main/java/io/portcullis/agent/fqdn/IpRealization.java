package io.portcullis.agent.fqdn;

import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.EndpointState;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeState;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "IP X is realized for endpoint E" (docs/mesh.md): the node's ipcache maps X to an identity I that is no
 * reserved one (so an FQDN, CIDR or endpoint identity was learned for it), the node read I's identity
 * record and X's ipcache record, the newest node watermark says the compiler had consumed both when it
 * compiled this node's maps, and E is ready (its realized map is the one that watermark lists).
 */
public final class IpRealization {

    private final NodeState node;
    private final ClusterIdentities cluster;
    private final InputOffsets offsets;

    public IpRealization(NodeState node, ClusterIdentities cluster, InputOffsets offsets) {
        this.node = node;
        this.cluster = cluster;
        this.offsets = offsets;
    }

    /** The current identity of each address, and whether all of them are realized for the endpoint. */
    public AwaitIpsResponse check(String endpoint, List<IpAddress> ips) {
        LocalEndpoint ep = node.snapshot().endpoint(endpoint);
        boolean realized = ep != null && ep.state() == EndpointState.READY;
        Map<String, Long> ids = new LinkedHashMap<>();
        for (IpAddress ip : ips) {
            IpCache.Entry e = cluster.lookup(ip);
            ids.put(ip.toString(), e.identity());
            realized &= e.prefix() != null && ReservedIdentity.byId(e.identity()) == null
                    && offsets.prefixCovered(e.prefix().toString()) && offsets.identityCovered(e.identity());
        }
        return new AwaitIpsResponse(realized, ids);
    }
}
