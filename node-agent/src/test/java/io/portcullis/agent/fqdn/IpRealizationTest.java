package io.portcullis.agent.fqdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.agent.mesh.TopicHandlers;
import io.portcullis.agent.realized.RealizedReports;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.Fixtures;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "IP X realized for endpoint E": X's ipcache entry and its identity were read at offsets the node
 * watermark's input offsets cover, and E is ready (docs/mesh.md).
 */
class IpRealizationTest {

    private static final String EP = "default/client";
    private static final List<IpAddress> IP = List.of(IpAddress.parse("127.200.0.10"));
    private static final long FQDN_ID = 16777217;

    private final NodeState node = new NodeState(Fixtures.NODE);
    private final ClusterIdentities cluster = new ClusterIdentities();
    private final InputOffsets offsets = new InputOffsets();
    private final TopicHandlers handlers = new TopicHandlers(node, cluster, new RealizedReports(), offsets);
    private final IpRealization realization = new IpRealization(node, cluster, offsets);

    @BeforeEach
    void readyEndpoint() {
        node.putEndpoint(EP, Fixtures.spec(EP, "127.10.0.2"));
        node.putIdentity(EP, 300);
        node.putPolicy(EP, Fixtures.map(EP, 300, 1));
    }

    private void identityAt(long offset) {
        Identity id = new Identity(FQDN_ID, Labels.of(Label.of("fqdn", "cilium.io", "")));
        handlers.identity(new ConsumerRecord<>("portcullis.identities", 1, offset, Long.toString(FQDN_ID),
                MeshJson.encode(IdentityRecord.of(id))));
    }

    private void ipcacheAt(long offset) {
        handlers.ipcache(new ConsumerRecord<>("portcullis.ipcache", 2, offset, "127.200.0.10/32",
                MeshJson.encode(IpCacheRecord.of("127.200.0.10/32", FQDN_ID, "fqdn"))));
    }

    private void watermark(long identitiesNext, long ipcacheNext) {
        NodeRevisionRecord w = NodeRevisionRecord.of(Fixtures.NODE, 1, Map.of(EP, 1L),
                Map.of(NodeRevisionRecord.IDENTITIES, Map.of(1, identitiesNext), NodeRevisionRecord.IPCACHE, Map.of(2, ipcacheNext)));
        handlers.endpointPolicy(new ConsumerRecord<>("portcullis.endpoint-policies", 0, 0, NodeRevisionRecord.key(Fixtures.NODE),
                MeshJson.encode(w)));
    }

    @Test
    void worldIsNeverRealized() {
        watermark(100, 100);
        AwaitIpsResponse r = realization.check(EP, IP);
        assertThat(r.realized()).isFalse();
        assertThat(r.identities()).containsExactly(Map.entry("127.200.0.10", 2L));
    }

    @Test
    void realizedOnceTheWatermarkCoversBothRecords() {
        identityAt(5);
        ipcacheAt(7);
        watermark(5, 8); // the compiler had not consumed the identity yet
        assertThat(realization.check(EP, IP).realized()).isFalse();
        watermark(6, 7); // ... nor the ipcache entry
        assertThat(realization.check(EP, IP).realized()).isFalse();
        watermark(6, 8);
        AwaitIpsResponse r = realization.check(EP, IP);
        assertThat(r.realized()).isTrue();
        assertThat(r.identities()).containsExactly(Map.entry("127.200.0.10", FQDN_ID));
    }

    @Test
    void anEndpointWithoutItsMapIsNotRealized() {
        identityAt(5);
        ipcacheAt(7);
        watermark(6, 8);
        node.removePolicy(EP);
        assertThat(realization.check(EP, IP).realized()).isFalse();
        assertThat(realization.check("default/unknown", IP).realized()).isFalse();
    }
}
