package io.portcullis.agent.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.portcullis.agent.endpoint.EndpointRequest;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PodEndpointsTest {

    static final Namespace NS = new NamespaceBuilder().withNewMetadata().withName("shop")
            .withLabels(Map.of("team", "a")).endMetadata().build();

    static Pod running() {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec().withNodeName("n1").withServiceAccountName("web-sa")
                .addNewContainer().withName("a").addNewPort().withName("http").withContainerPort(8080).endPort()
                .addNewPort().withContainerPort(9000).endPort().endContainer()
                .addNewContainer().withName("b").addNewPort().withName("metrics").withContainerPort(9090).endPort()
                .addNewPort().withName("http").withContainerPort(1).endPort().endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0.5")
                .withPodIPs(new PodIP("10.0.0.5"), new PodIP("fd00::5")).endStatus()
                .build();
    }

    @Test
    void aRunningPodIsTheRegistrationRestWouldPost() {
        assertThat(PodEndpoints.request("n1", running(), NS)).contains(new EndpointRequest("web", "shop",
                Map.of("app", "web"), Map.of("team", "a"), "web-sa", List.of("10.0.0.5", "fd00::5"),
                Map.of("http", 8080, "metrics", 9090)));
    }

    static Stream<Arguments> notEndpoints() {
        return Stream.<Arguments>of(
                Arguments.of("another node", (UnaryOperator<Pod>) p -> { p.getSpec().setNodeName("n2"); return p; }),
                Arguments.of("not scheduled", (UnaryOperator<Pod>) p -> { p.getSpec().setNodeName(null); return p; }),
                Arguments.of("host network", (UnaryOperator<Pod>) p -> { p.getSpec().setHostNetwork(true); return p; }),
                Arguments.of("no address yet", (UnaryOperator<Pod>) p -> {
                    p.getStatus().setPodIP(null);
                    p.getStatus().setPodIPs(List.of());
                    return p;
                }),
                Arguments.of("succeeded", (UnaryOperator<Pod>) p -> { p.getStatus().setPhase("Succeeded"); return p; }),
                Arguments.of("failed", (UnaryOperator<Pod>) p -> { p.getStatus().setPhase("Failed"); return p; }),
                Arguments.of("being deleted", (UnaryOperator<Pod>) p -> {
                    p.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
                    return p;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notEndpoints")
    void notAnEndpoint(String why, UnaryOperator<Pod> change) {
        assertThat(PodEndpoints.request("n1", change.apply(running()), NS)).isEmpty();
    }

    @Test
    void defaultsWithoutNamespaceLabelsServiceAccountOrPodIPs() {
        Pod p = running();
        p.getSpec().setServiceAccountName(null);
        p.getStatus().setPodIPs(null);
        p.getMetadata().setLabels(null);
        EndpointRequest r = PodEndpoints.request("n1", p, null).orElseThrow();
        assertThat(r.serviceAccount()).isNull(); // EndpointValidation fills in "default", as for REST
        assertThat(r.namespaceLabels()).isEmpty();
        assertThat(r.labels()).isEmpty();
        assertThat(r.ips()).containsExactly("10.0.0.5");
    }
}
