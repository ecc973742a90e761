package io.portcullis.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshJsonTest {

    @Test
    void policyEventsRoundTripWithTheirKind() {
        var policy = new PolicyParser().parseAndValidate("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: rule1}
                spec:
                  endpointSelector: {matchLabels: {app: a}}
                  ingress: [{fromEndpoints: [{matchLabels: {app: b}}]}]
                """, "application/yaml").policies().get(0);
        PolicyEvent applied = PolicyEvent.Applied.of(3, policy);
        PolicyEvent deleted = PolicyEvent.Deleted.of(4, "default/rule1");
        assertThat(MeshJson.decode(MeshJson.encode(applied), PolicyEvent.class, 1)).isEqualTo(applied);
        assertThat(MeshJson.decode(MeshJson.encode(deleted), PolicyEvent.class, 1)).isEqualTo(deleted);
        assertThat(new String(MeshJson.encode(deleted), StandardCharsets.UTF_8)).contains("\"type\":\"deleted\"");
    }

    @Test
    void identitiesKeepTheirLabelSources() {
        Identity id = new Identity(256, Labels.of(Label.k8s("app", "a"), Label.reserved("world"),
                Label.of("cidr", "10.0.0.0/8", "")));
        assertThat(MeshJson.decode(MeshJson.encode(IdentityRecord.of(id)), IdentityRecord.class, 1).toIdentity())
                .isEqualTo(id);
    }

    @Test
    void unknownFieldsAreIgnoredButNewerSchemasRefused() {
        byte[] newer = """
                {"schemaVersion": 2, "node": "n", "namespace": "default", "name": "x", "extra": true}
                """.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MeshJson.decode(newer, EndpointRecord.class, EndpointRecord.SCHEMA_VERSION))
                .isInstanceOf(MeshJson.UnsupportedSchemaException.class);
        byte[] current = """
                {"schemaVersion": 1, "node": "n", "namespace": "default", "name": "x", "extra": true,
                 "labels": {"app": "x"}, "ips": ["127.10.0.2"], "namedPorts": {"http": 80}}
                """.getBytes(StandardCharsets.UTF_8);
        EndpointRecord r = MeshJson.decode(current, EndpointRecord.class, EndpointRecord.SCHEMA_VERSION);
        assertThat(r.key()).isEqualTo("n/default/x");
        assertThat(r.labels()).isEqualTo(Map.of("app", "x"));
        assertThat(r.ips()).isEqualTo(List.of("127.10.0.2"));
    }
}
