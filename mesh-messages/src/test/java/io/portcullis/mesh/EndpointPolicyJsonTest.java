package io.portcullis.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topic encoding of endpoint records: schema 2's entry table, and schema 1's entry objects still read. */
class EndpointPolicyJsonTest {

    private static final EndpointPolicyRecord.Direction OPEN =
            new EndpointPolicyRecord.Direction(false, false, List.of(), null, List.of());

    private static EndpointPolicyRecord record(List<EndpointPolicyRecord.Entry> entries) {
        return new EndpointPolicyRecord(EndpointPolicyRecord.SCHEMA_VERSION, "node-1", "default/a", 300, 7, entries,
                OPEN, OPEN, List.of("default/audited"));
    }

    private static EndpointPolicyRecord.Entry entry(long identity, String dir, int port, boolean deny, String... from) {
        return new EndpointPolicyRecord.Entry(identity, dir, "TCP", port, port == 0 ? 0 : 16, deny, "NONE", List.of(from));
    }

    @Test
    void entriesGoOutAsATableAndComeBackEqualInOrder() {
        EndpointPolicyRecord r = record(List.of(
                entry(301, "INGRESS", 80, false, "default/p1"),
                entry(302, "INGRESS", 80, false, "default/p1"),
                entry(0, "EGRESS", 0, true, "default/p2", "default/p3"),
                entry(303, "INGRESS", 443, false, "default/p1")));
        String json = new String(MeshJson.encode(r), StandardCharsets.UTF_8);

        assertThat(json).contains("\"rows\":[301,80,16,0,302,80,16,0,0,0,0,1,303,443,16,0]");
        assertThat(json).containsOnlyOnce("default/p1");
        EndpointPolicyRecord back = MeshJson.decode(json.getBytes(StandardCharsets.UTF_8), EndpointPolicyRecord.class,
                EndpointPolicyRecord.SCHEMA_VERSION);
        assertThat(back).isEqualTo(r);
        assertThat(EndpointPolicyCodec.digest(back)).isEqualTo(EndpointPolicyCodec.digest(r));
    }

    @Test
    void schemaOneRecordsWithAnObjectPerEntryStillDecode() {
        String v1 = """
                {"schemaVersion":1,"node":"node-1","endpoint":"default/a","identity":300,"revision":7,
                 "entries":[{"identity":301,"direction":"INGRESS","protocol":"TCP","port":80,"prefixLen":16,
                             "deny":false,"proxy":"NONE","derivedFrom":["default/p1"]}],
                 "ingress":{"enforced":false,"defaultDeny":false,"defaultDenyPolicies":[],"filters":[]},
                 "egress":{"enforced":false,"defaultDeny":false,"defaultDenyPolicies":[],"filters":[]},
                 "futureField":{"x":[1,2]}}""";
        EndpointPolicyRecord r = MeshJson.decode(v1.getBytes(StandardCharsets.UTF_8), EndpointPolicyRecord.class,
                EndpointPolicyRecord.SCHEMA_VERSION);

        assertThat(r.schemaVersion()).isEqualTo(1);
        assertThat(r.entries()).containsExactly(entry(301, "INGRESS", 80, false, "default/p1"));
        assertThat(r.auditPolicies()).isNull();
    }

    @Test
    void theDigestIgnoresTheRevisionOnly() {
        EndpointPolicyRecord r = record(List.of(entry(301, "INGRESS", 80, false, "default/p1")));
        EndpointPolicyRecord later = new EndpointPolicyRecord(r.schemaVersion(), r.node(), r.endpoint(), r.identity(),
                99, r.entries(), r.ingress(), r.egress(), r.auditPolicies());
        EndpointPolicyRecord otherPort = record(List.of(entry(301, "INGRESS", 81, false, "default/p1")));
        EndpointPolicyRecord noAudit = r.withAuditPolicies(null);

        assertThat(EndpointPolicyCodec.digest(later)).isEqualTo(EndpointPolicyCodec.digest(r));
        assertThat(EndpointPolicyCodec.digest(otherPort)).isNotEqualTo(EndpointPolicyCodec.digest(r));
        assertThat(EndpointPolicyCodec.digest(noAudit)).isNotEqualTo(EndpointPolicyCodec.digest(r));
    }

    @Test
    void malformedTablesAreRefused() {
        for (String entries : List.of(
                "{\"kinds\":[],\"rows\":[301,80,16,0]}",                 // kind out of range
                "{\"kinds\":[{\"direction\":\"INGRESS\",\"protocol\":\"TCP\",\"deny\":false,\"proxy\":\"NONE\"}],"
                        + "\"rows\":[301,80,16]}")) {                    // not a multiple of 4
            String json = "{\"schemaVersion\":2,\"node\":\"n\",\"endpoint\":\"d/a\",\"identity\":1,\"revision\":1,"
                    + "\"entries\":" + entries + "}";
            assertThatThrownBy(() -> MeshJson.decode(json.getBytes(StandardCharsets.UTF_8), EndpointPolicyRecord.class,
                    EndpointPolicyRecord.SCHEMA_VERSION)).as(entries).isInstanceOf(RuntimeException.class);
        }
    }
}
