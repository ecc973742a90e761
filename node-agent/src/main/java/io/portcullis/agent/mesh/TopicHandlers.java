package io.portcullis.agent.mesh;

import io.portcullis.agent.fqdn.InputOffsets;
import io.portcullis.agent.realized.RealizedReports;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeState;
import io.portcullis.agent.state.RealizedPolicy;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.realized.RealizedRecord;
import io.portcullis.policy.engine.Subject;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One handler per topic: decodes a record and folds it into the node's state. Records of other nodes are
 * skipped by key before decoding. A record that cannot be decoded throws, which stops that topic's replay
 * and turns readiness down (skipping it would silently enforce stale state).
 */
public final class TopicHandlers {

    private final NodeState node;
    private final ClusterIdentities cluster;
    private final RealizedReports reports;
    private final InputOffsets offsets;
    private final String prefix;

    public TopicHandlers(NodeState node, ClusterIdentities cluster, RealizedReports reports) {
        this(node, cluster, reports, new InputOffsets());
    }

    public TopicHandlers(NodeState node, ClusterIdentities cluster, RealizedReports reports, InputOffsets offsets) {
        this.node = node;
        this.cluster = cluster;
        this.reports = reports;
        this.offsets = offsets;
        this.prefix = node.node() + "/";
    }

    /** {@code portcullis.endpoints}, key {@code node/ns/name}. */
    public void endpoint(ConsumerRecord<String, byte[]> r) {
        String id = localId(r.key());
        if (id == null) {
            return;
        }
        if (r.value() == null) {
            node.removeEndpoint(id);
        } else {
            node.putEndpoint(id, MeshJson.decode(r.value(), EndpointRecord.class, EndpointRecord.SCHEMA_VERSION));
        }
    }

    /** {@code portcullis.endpoint-identities}, key {@code node/ns/name}. */
    public void endpointIdentity(ConsumerRecord<String, byte[]> r) {
        String id = localId(r.key());
        if (id == null) {
            return;
        }
        if (r.value() == null) {
            node.removeIdentity(id);
        } else {
            node.putIdentity(id, MeshJson.decode(r.value(), EndpointIdentityRecord.class,
                    EndpointIdentityRecord.SCHEMA_VERSION).identity());
        }
    }

    /** {@code portcullis.identities}, key: the number. */
    public void identity(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            cluster.removeIdentity(Long.parseLong(r.key()));
        } else {
            cluster.putIdentity(MeshJson.decode(r.value(), IdentityRecord.class, IdentityRecord.SCHEMA_VERSION)
                    .toIdentity());
        }
        offsets.identity(Long.parseLong(r.key()), r.partition(), r.offset(), r.value() != null);
    }

    /** {@code portcullis.ipcache}, key: the prefix. */
    public void ipcache(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            cluster.removePrefix(r.key());
        } else {
            IpCacheRecord e = MeshJson.decode(r.value(), IpCacheRecord.class, IpCacheRecord.SCHEMA_VERSION);
            cluster.upsertPrefix(e.prefix(), e.identity(), e.source() == null ? "unknown" : e.source());
        }
        offsets.prefix(r.key(), r.partition(), r.offset(), r.value() != null);
    }

    /** {@code portcullis.endpoint-policies}, key {@code node/ns/name}, or {@code node/*} for the watermark. */
    public void endpointPolicy(ConsumerRecord<String, byte[]> r) {
        String id = localId(r.key());
        if (id == null) {
            return;
        }
        if (id.equals("*")) {
            if (r.value() != null) { // a removed watermark vouches for nothing new; what it vouched for stays
                NodeRevisionRecord w = MeshJson.decode(r.value(), NodeRevisionRecord.class, NodeRevisionRecord.SCHEMA_VERSION);
                node.watermark(w);
                offsets.watermark(w);
            }
            return;
        }
        if (r.value() == null) {
            node.removePolicy(id);
            return;
        }
        EndpointPolicyRecord rec = MeshJson.decode(r.value(), EndpointPolicyRecord.class,
                EndpointPolicyRecord.SCHEMA_VERSION);
        // The subject is informational (the compiler already resolved named ports into the map).
        LocalEndpoint known = node.snapshot().endpoint(id);
        Map<String, Integer> namedPorts = known == null ? Map.of() : known.spec().namedPorts();
        Subject subject = new Subject(cluster.identity(rec.identity()), namedPorts);
        node.putPolicy(id, new RealizedPolicy(rec, EndpointPolicyCodec.decode(rec, subject)));
    }

    /** {@code portcullis.realized}, key {@code node/ns/name}: what this node has already reported. */
    public void realized(ConsumerRecord<String, byte[]> r) {
        String id = localId(r.key());
        if (id == null) {
            return;
        }
        if (r.value() == null) {
            reports.unseen(id);
        } else {
            reports.seen(id, MeshJson.decode(r.value(), RealizedRecord.class, RealizedRecord.SCHEMA_VERSION).revision());
        }
    }

    /** {@code ns/name} (or {@code *}) for a key of this node, else null. */
    private String localId(String key) {
        return key != null && key.startsWith(prefix) ? key.substring(prefix.length()) : null;
    }
}
