package io.portcullis.agent.mesh;

import static io.portcullis.agent.ControlPlaneDouble.ENDPOINTS;
import static io.portcullis.agent.ControlPlaneDouble.ENDPOINT_IDENTITIES;
import static io.portcullis.agent.ControlPlaneDouble.ENDPOINT_POLICIES;
import static io.portcullis.agent.ControlPlaneDouble.IDENTITIES;
import static io.portcullis.agent.ControlPlaneDouble.IPCACHE;
import static io.portcullis.agent.ControlPlaneDouble.REALIZED;
import static io.portcullis.agent.ControlPlaneDouble.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.testsupport.mesh.ControlPlaneDouble.MeshRecord;
import io.portcullis.agent.realized.RealizedReports;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.EndpointState;
import io.portcullis.agent.state.Fixtures;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.realized.RealizedRecord;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicHandlersTest {

    private final NodeState node = new NodeState(Fixtures.NODE);
    private final ClusterIdentities cluster = new ClusterIdentities();
    private final RealizedReports reports = new RealizedReports();
    private final TopicHandlers handlers = new TopicHandlers(node, cluster, reports);

    private static MeshRecord rec(String topic, String key, Object value) {
        return new MeshRecord(topic, key, value == null ? null : MeshJson.encode(value));
    }

    @Test
    void foldsThisNodesRecordsAndSkipsOtherNodes() {
        feed(handlers, List.of(
                rec(ENDPOINTS, "node-1/default/a", Fixtures.spec("default/a", "127.10.0.1")),
                rec(ENDPOINTS, "node-2/default/b", Fixtures.spec("default/b")),
                rec(ENDPOINT_IDENTITIES, "node-1/default/a", EndpointIdentityRecord.of("node-1/default/a", 300)),
                rec(ENDPOINT_IDENTITIES, "node-2/default/b", EndpointIdentityRecord.of("node-2/default/b", 301)),
                rec(ENDPOINT_POLICIES, "node-1/default/a", Fixtures.map("default/a", 300, 3).record()),
                new MeshRecord(ENDPOINT_POLICIES, "node-2/default/b", "not even json".getBytes(StandardCharsets.UTF_8))));
        assertThat(node.snapshot().endpoints()).containsOnlyKeys("default/a");
        assertThat(node.snapshot().endpoint("default/a").state()).isEqualTo(EndpointState.READY);
        assertThat(node.snapshot().endpoint("default/a").policyRevision()).isEqualTo(3);
    }

    @Test
    void tombstonesRemove() {
        feed(handlers, List.of(
                rec(ENDPOINTS, "node-1/default/a", Fixtures.spec("default/a")),
                rec(ENDPOINT_IDENTITIES, "node-1/default/a", EndpointIdentityRecord.of("node-1/default/a", 300)),
                rec(ENDPOINT_POLICIES, "node-1/default/a", Fixtures.map("default/a", 300, 3).record()),
                rec(ENDPOINT_POLICIES, "node-1/default/a", null)));
        assertThat(node.snapshot().endpoint("default/a").state()).isEqualTo(EndpointState.WAITING_FOR_POLICY);
        feed(handlers, List.of(rec(ENDPOINT_IDENTITIES, "node-1/default/a", null)));
        assertThat(node.snapshot().endpoint("default/a").state()).isEqualTo(EndpointState.WAITING_FOR_IDENTITY);
        feed(handlers, List.of(rec(ENDPOINTS, "node-1/default/a", null)));
        assertThat(node.snapshot().endpoints()).isEmpty();
    }

    @Test
    void theNodeWatermarkIsReadFromItsKey() {
        feed(handlers, List.of(
                rec(ENDPOINTS, "node-1/default/a", Fixtures.spec("default/a")),
                rec(ENDPOINT_IDENTITIES, "node-1/default/a", EndpointIdentityRecord.of("node-1/default/a", 300)),
                rec(ENDPOINT_POLICIES, "node-1/default/a", Fixtures.map("default/a", 300, 3).record()),
                new MeshRecord(ENDPOINT_POLICIES, "node-1/*", ("{\"schemaVersion\":1,\"node\":\"node-1\",\"revision\":8,"
                        + "\"endpoints\":{\"default/a\":3},\"future\":true}").getBytes(StandardCharsets.UTF_8)),
                rec(ENDPOINT_POLICIES, "node-2/*", NodeRevisionRecord.of("node-2", 99, Map.of("default/a", 3L))),
                rec(ENDPOINT_POLICIES, "node-1/*", null)));
        assertThat(node.snapshot().watermark()).isEqualTo(8);
        assertThat(node.snapshot().endpoint("default/a").policyRevision()).isEqualTo(8);
        assertThat(node.snapshot().endpoint("default/a").state()).isEqualTo(EndpointState.READY);
    }

    @Test
    void identitiesAndTheIpcacheNamePeers() {
        Identity db = new Identity(400, Labels.of(Label.k8s("app", "db")));
        feed(handlers, List.of(
                rec(IDENTITIES, "400", IdentityRecord.of(db)),
                rec(IPCACHE, "10.0.0.0/8", IpCacheRecord.of("10.0.0.0/8", 400, "cidr")),
                rec(IPCACHE, "10.1.0.0/16", IpCacheRecord.of("10.1.0.0/16", 401, "cidr"))));
        assertThat(cluster.identity(cluster.lookup(IpAddress.parse("10.2.3.4")).identity())).isEqualTo(db);
        assertThat(cluster.lookup(IpAddress.parse("10.1.3.4")).identity()).isEqualTo(401);
        assertThat(cluster.lookup(IpAddress.parse("192.168.0.1")).identity()).as("world").isEqualTo(2);
        assertThat(cluster.identity(2).labels().toString()).contains("world");

        feed(handlers, List.of(rec(IPCACHE, "10.0.0.0/8", null), rec(IDENTITIES, "400", null)));
        assertThat(cluster.lookup(IpAddress.parse("10.2.3.4")).identity()).isEqualTo(2);
        assertThat(cluster.identity(400).labels().size()).isZero();
    }

    @Test
    void realizedRecordsOfThisNodeSeedTheReports() {
        feed(handlers, List.of(
                rec(ENDPOINTS, "node-1/default/a", Fixtures.spec("default/a")),
                rec(ENDPOINT_IDENTITIES, "node-1/default/a", EndpointIdentityRecord.of("node-1/default/a", 300)),
                rec(ENDPOINT_POLICIES, "node-1/default/a", Fixtures.map("default/a", 300, 3).record()),
                rec(REALIZED, "node-1/default/a", RealizedRecord.of("node-1", "default/a", 3)),
                rec(REALIZED, "node-2/default/a", RealizedRecord.of("node-2", "default/a", 1))));
        assertThat(reports.due(node.snapshot())).isEmpty();
    }

    @Test
    void aRecordFromANewerSchemaStopsTheTopicInsteadOfBeingSkipped() {
        assertThatThrownBy(() -> feed(handlers, List.of(new MeshRecord(ENDPOINT_IDENTITIES, "node-1/default/a",
                "{\"schemaVersion\":2,\"endpoint\":\"node-1/default/a\",\"identity\":3}".getBytes(StandardCharsets.UTF_8)))))
                .hasMessageContaining("schemaVersion 2");
    }
}
