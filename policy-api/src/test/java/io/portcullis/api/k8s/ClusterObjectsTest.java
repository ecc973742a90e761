package io.portcullis.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.api.status.PolicyStatus;
import io.portcullis.policy.api.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterObjectsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void intakeKeepsWhatAUserWritesAndDropsWhatTheServerSets() throws Exception {
        JsonNode cluster = JSON.readTree("""
                {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy",
                 "metadata": {"name": "web", "namespace": "shop", "uid": "u-1", "resourceVersion": "77",
                   "generation": 3, "creationTimestamp": "2026-01-01T00:00:00Z", "managedFields": [{}],
                   "labels": {"team": "a"},
                   "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{...}", "note": "x"}},
                 "spec": {"endpointSelector": {}},
                 "status": {"conditions": []}}
                """);
        JsonNode intake = JSON.readTree(ClusterObjects.intakeJson(JSON, cluster));
        assertThat(intake).isEqualTo(JSON.readTree("""
                {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy",
                 "metadata": {"name": "web", "namespace": "shop", "labels": {"team": "a"}, "annotations": {"note": "x"}},
                 "spec": {"endpointSelector": {}}}
                """));
    }

    @Test
    void onlyTheLastAppliedAnnotationMeansNoAnnotations() throws Exception {
        JsonNode cluster = JSON.readTree("""
                {"apiVersion": "cilium.io/v2", "kind": "CiliumClusterwideNetworkPolicy",
                 "metadata": {"name": "all", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
                 "specs": [{"endpointSelector": {}}]}
                """);
        assertThat(JSON.readTree(ClusterObjects.intakeJson(JSON, cluster)).path("metadata"))
                .isEqualTo(JSON.readTree("{\"name\": \"all\"}"));
    }

    @Test
    void validStatusCarriesRevisionAndNodes() {
        Map<String, Object> s = ClusterObjects.valid(2, 41, Map.of("n1", new PolicyStatus.NodeRealized(40, 3, false)));
        assertThat(s).containsEntry("revision", 41L)
                .containsEntry("nodes", Map.of("n1", Map.of("revision", 40L, "endpoints", 3, "ready", false)));
        assertThat(s.get("conditions")).isEqualTo(List.of(Map.of("type", "Valid", "status", "True", "reason", "Valid",
                "message", "stored at revision 41", "observedGeneration", 2L)));
    }

    @Test
    void invalidStatusNamesEveryError() {
        Map<String, Object> s = ClusterObjects.invalid(5, List.of(
                new FieldError("spec.a", FieldError.INVALID, "bad a"),
                new FieldError("spec.b", FieldError.REQUIRED, "b is required")));
        assertThat(s).doesNotContainKeys("revision", "nodes");
        assertThat(s.get("errors")).isEqualTo(List.of(
                Map.of("field", "spec.a", "reason", FieldError.INVALID, "message", "bad a"),
                Map.of("field", "spec.b", "reason", FieldError.REQUIRED, "message", "b is required")));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = ((List<Map<String, Object>>) s.get("conditions")).getFirst();
        assertThat(c).containsEntry("status", "False").containsEntry("reason", "Invalid").containsEntry("observedGeneration", 5L);
        assertThat((String) c.get("message")).contains("2 validation error(s)", "spec.a: bad a", "spec.b: b is required");
    }
}
