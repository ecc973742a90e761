package io.portcullis.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowRecordJsonTest {

    @Test
    void flowRecordsRoundTripWithEachKindOfL7Detail() {
        FlowRecord.Peer client = new FlowRecord.Peer("default/client", 256L, "127.40.1.2");
        FlowRecord.Peer server = new FlowRecord.Peer("default/web", 257L, "127.40.1.1");
        List<FlowRecord> flows = List.of(
                new FlowRecord(1, "2026-01-01T00:00:00Z", "node-1", "http-proxy", client, server, 80, "TCP",
                        FlowVerdict.DENIED, List.of("default/web-http"), "no rule", new FlowRecord.Http("GET", "/x", "web", 403),
                        null, null),
                new FlowRecord(1, "2026-01-01T00:00:00Z", "node-1", "kafka-proxy", client, server, 9092, "TCP",
                        FlowVerdict.AUDIT, List.of("default/kafka"), "audit", null,
                        new FlowRecord.Kafka(0, 9, "producer-1", List.of("orders")), null),
                new FlowRecord(1, "2026-01-01T00:00:00Z", "node-1", "dns-proxy", client,
                        new FlowRecord.Peer(null, 2L, "8.8.8.8"), 53, "UDP", FlowVerdict.ALLOWED, List.of(), "ok", null,
                        null, new FlowRecord.Dns("example.com")));
        for (FlowRecord f : flows) {
            assertThat(MeshJson.decode(MeshJson.encode(f), FlowRecord.class, 1)).isEqualTo(f);
        }
        assertThat(flows).extracting(FlowRecord::l7Protocol).containsExactly("http", "kafka", "dns");
        assertThat(flows).extracting(FlowRecord::key).containsExactly("node-1/default/web", "node-1/default/web", "8.8.8.8");
    }

    @Test
    void recordsWithoutTheNewFieldsDecodeAsBeforeAndEncodeWithoutThem() {
        EndpointRecord plain = new EndpointRecord(1, "n", "default", "a", Map.of(), Map.of(), "default",
                List.of("127.0.0.1"), Map.of());
        String json = new String(MeshJson.encode(plain), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("backends");
        assertThat(MeshJson.decode(json.getBytes(StandardCharsets.UTF_8), EndpointRecord.class, 1)).isEqualTo(plain);
        EndpointRecord withBackend = new EndpointRecord(1, "n", "default", "a", Map.of(), Map.of(), "default",
                List.of("127.0.0.1"), Map.of(), Map.of("80", "127.0.0.1:8080"));
        assertThat(MeshJson.decode(MeshJson.encode(withBackend), EndpointRecord.class, 1).backendsOrEmpty())
                .containsEntry("80", "127.0.0.1:8080");

        EndpointPolicyRecord.Direction open = new EndpointPolicyRecord.Direction(false, false, List.of(), null, List.of());
        EndpointPolicyRecord map = new EndpointPolicyRecord(1, "n", "default/a", 256, 3, List.of(), open, open);
        assertThat(new String(MeshJson.encode(map), StandardCharsets.UTF_8)).doesNotContain("auditPolicies");
        EndpointPolicyRecord audited = map.withAuditPolicies(List.of("default/p"));
        assertThat(MeshJson.decode(MeshJson.encode(audited), EndpointPolicyRecord.class, 1).auditPoliciesOrEmpty())
                .containsExactly("default/p");
        assertThat(map.withAuditPolicies(List.of())).isEqualTo(map);
    }
}
