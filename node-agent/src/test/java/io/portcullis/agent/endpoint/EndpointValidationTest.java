package io.portcullis.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointValidationTest {

    @Test
    void fillsDefaultsAndCanonicalizesAddresses() {
        EndpointRecord r = EndpointValidation.toRecord("node-1", new EndpointRequest("client", null,
                Map.of("k8s:app", "client"), null, null, List.of("127.10.0.2", "FD00:0:0::1"), Map.of("http", 80)));
        assertThat(r.key()).isEqualTo("node-1/default/client");
        assertThat(r.serviceAccount()).isEqualTo("default");
        assertThat(r.namespaceLabels()).isEmpty();
        assertThat(r.ips()).containsExactly("127.10.0.2", "fd00::1");
        assertThat(r.labels()).containsEntry("k8s:app", "client");
        assertThat(r.namedPorts()).containsEntry("http", 80);
    }

    @Test
    void theSameEndpointPostedTwiceGivesEqualRecords() {
        EndpointRequest req = new EndpointRequest("a", "default", Map.of("app", "a", "tier", "web"), Map.of(),
                "default", List.of("127.10.0.1"), Map.of("http", 80, "metrics", 9090));
        assertThat(EndpointValidation.toRecord("n", req)).isEqualTo(EndpointValidation.toRecord("n", req));
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        EndpointRequest bad = new EndpointRequest("Bad_Name", "Not A Namespace", Map.of("a:b:c", "x", "ok", "-bad-"),
                Map.of(), "sa!", List.of("127.0.0.300", "10.0.0.0/8", "127.10.0.1", "127.10.0.1"),
                Map.of("HTTP", 80, "web", 70000));
        assertThatThrownBy(() -> EndpointValidation.toRecord("node-1", bad))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.causes()).extracting(ApiException.Cause::field).contains("name", "namespace",
                            "serviceAccount", "labels.a:b:c", "labels.ok", "ips[0]", "ips[1]", "ips[3]",
                            "namedPorts.HTTP", "namedPorts.web");
                    assertThat(e.causes()).extracting(ApiException.Cause::field).doesNotContain("ips[2]");
                });
    }

    @Test
    void nameIsRequired() {
        assertThatThrownBy(() -> EndpointValidation.toRecord("node-1",
                new EndpointRequest(null, "default", null, null, null, null, null)))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.causes()).containsExactly(new ApiException.Cause("name", "is required")));
    }
}
