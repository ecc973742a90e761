package io.portcullis.agent.k8s;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.portcullis.agent.AgentDriver;
import io.portcullis.agent.ControlPlaneDouble;
import io.portcullis.agent.KafkaBrokerResource;
import io.portcullis.agent.MeshClient;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pods on this node (fabric8's mock API server in CRUD mode) become endpoints through the same
 * registration as REST; with identities and a compiled map fed through Kafka as identity-service and
 * compiler-service would, the verdicts are the conformance case's. Deleting a pod releases its endpoint.
 */
@QuarkusTest
@TestProfile(PodWatchTest.WatchOn.class)
@WithKubernetesTestServer(crud = true)
@WithTestResource(KafkaBrokerResource.class)
class PodWatchTest {

    public static class WatchOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The mock server's watches ignore field selectors: the agent filters by node itself (and
            // this test checks that it does, with a pod of another node).
            return Map.of("portcullis.k8s.enabled", "true", "portcullis.k8s.retry-delay", "PT0.2S",
                    "portcullis.k8s.node-field-selector", "false");
        }
    }

    static final String NODE = AgentDriver.NODE;

    @Inject
    KubernetesClient client;

    @BeforeEach
    void ready() {
        AgentDriver.awaitReady();
    }

    @Test
    void podsOnThisNodeAreEndpointsWithVerdictsAndDeletionReleasesThem() {
        ConformanceCase c = ControlPlaneDouble.loadCase("seed-l7-rule");
        ControlPlaneDouble plane = new ControlPlaneDouble(NODE);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default")
                .withLabels(Map.of("team", "empire")).endMetadata().build()).createOr(n -> n.update());

        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            createRunning(pod(e.namespace(), e.name(), NODE, e.labels()), e.ips());
        }
        // Another node's pod, and a pod of this node still waiting for its address: no endpoints.
        createRunning(pod("default", "elsewhere", "node-2", Map.of("app", "client")), List.of("127.10.1.9"));
        client.pods().resource(pod("default", "pending", NODE, Map.of("app", "client"))).create();

        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            EndpointRecord published = awaitPublished(e.key());
            assertThat(published).isEqualTo(new EndpointRecord(EndpointRecord.SCHEMA_VERSION, NODE, e.namespace(),
                    e.name(), e.labels(), Map.of("team", "empire"), "sa-" + e.name(), e.ips(), Map.of("http", 80)));
            // identity-service answers
            MeshClient.send(plane.register(e));
            Eventually.holds(() -> given().get("/v1/endpoints/" + e.key()).then().statusCode(200)
                    .body("identity", equalTo((int) plane.identityOf(e.key()))));
        }

        // compiler-service publishes the maps: the case's verdicts.
        long revision = AgentDriver.nextRevision();
        MeshClient.send(plane.apply(c.allSteps().getFirst().apply(), revision));
        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            Eventually.holds(() -> given().get("/v1/endpoints/" + e.key()).then().body("state", equalTo("ready")));
        }
        for (ConformanceCase.Check check : c.allSteps().getFirst().checksOrEmpty()) {
            assertThat(AgentDriver.verdict(check)).as(check.toString()).isEqualTo(check.expect());
        }
        assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, NODE + "/default/elsewhere")).isEmpty();
        assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, NODE + "/default/pending")).isEmpty();
        given().get("/v1/endpoints/default/pending").then().statusCode(404);

        // The pending pod gets its address: now it is an endpoint.
        setRunning("default", "pending", List.of("127.10.1.7"));
        assertThat(awaitPublished("default/pending").ips()).containsExactly("127.10.1.7");

        // Deleting a pod releases its endpoint: tombstone, 404.
        client.pods().inNamespace("default").withName("client").delete();
        Eventually.holds(() -> given().get("/v1/endpoints/default/client").then().statusCode(404));
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, NODE + "/default/client"))
                .hasValueSatisfying(r -> assertThat(r.value()).isNull()));
        given().get("/v1/endpoints/default/myservice").then().statusCode(200).body("state", equalTo("ready"));
    }

    private static EndpointRecord awaitPublished(String id) {
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, NODE + "/" + id))
                .hasValueSatisfying(r -> assertThat(r.value()).isNotNull()));
        return MeshJson.decode(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, NODE + "/" + id).orElseThrow().value(),
                EndpointRecord.class, 1);
    }

    private static Pod pod(String ns, String name, String node, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName("sa-" + name)
                .addNewContainer().withName("main").withImage("example/app:1")
                .addNewPort().withName("http").withContainerPort(80).endPort()
                .addNewPort().withContainerPort(9090).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }

    private void createRunning(Pod pod, List<String> ips) {
        client.pods().resource(pod).create();
        setRunning(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), ips);
    }

    /** As the kubelet does: the status replaced as a whole (PUT .../status). */
    private void setRunning(String ns, String name, List<String> ips) {
        Pod p = client.pods().inNamespace(ns).withName(name).get();
        p.getStatus().setPhase("Running");
        p.getStatus().setPodIP(ips.getFirst());
        p.getStatus().setPodIPs(ips.stream().map(PodIP::new).toList());
        client.pods().resource(p).updateStatus();
    }
}
