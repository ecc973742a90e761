package io.portcullis.api.k8s;

import static io.portcullis.api.Policies.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.portcullis.api.KafkaBrokerResource;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.mesh.realized.RealizedRecord;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CNP/CCNP objects in a cluster (fabric8's mock API server in CRUD mode, with k8s/crds installed) reach the
 * store through the same intake as REST, are published on the policies topic, and get their status.
 */
@QuarkusTest
@TestProfile(ClusterWatchTest.WatchOn.class)
@WithKubernetesTestServer(crud = true)
@WithTestResource(KafkaBrokerResource.class)
class ClusterWatchTest {

    public static class WatchOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.k8s.enabled", "true", "portcullis.k8s.status-interval", "PT0.3S");
        }
    }

    static final ObjectMapper YAML = new YAMLMapper();

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void crds() throws Exception {
        for (String plural : List.of("ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies")) {
            Path file = Path.of("..", "k8s", "crds", "cilium.io_" + plural + ".yaml");
            CustomResourceDefinition crd = YAML.readValue(Files.readString(file), CustomResourceDefinition.class);
            if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        }
    }

    @Test
    void aCnpCreatedInTheClusterIsStoredPublishedAndGetsItsStatus() throws Exception {
        String ns = unique("ns");
        cnps(ns).resource(object(cnp(ns, "web", "/public"))).create();
        String path = "/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web";

        Eventually.holds(() -> given().get(path).then().statusCode(200)
                .body("spec.ingress[0].toPorts[0].rules.http[0].path", equalTo("/public")));
        int revision = Integer.parseInt(given().get(path).then().extract().path("metadata.resourceVersion"));
        assertThat(published(ns + "/web")).isInstanceOfSatisfying(PolicyEvent.Applied.class,
                a -> assertThat(a.revision()).isEqualTo(revision));

        Eventually.holds(() -> {
            Map<String, Object> status = status(cnps(ns).withName("web"));
            assertThat(condition(status)).containsEntry("type", "Valid").containsEntry("status", "True");
            assertThat(((Number) status.get("revision")).longValue()).isEqualTo(revision);
        });

        // A node realizes the revision: the status shows it per node.
        String node = unique("node");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            RealizedRecord r = RealizedRecord.of(node, ns + "/web-pod", revision);
            producer.send(new ProducerRecord<>("portcullis.realized", node + "/" + ns + "/web-pod", MeshJson.encode(r))).get();
        }
        Eventually.holds(() -> assertThat(status(cnps(ns).withName("web")))
                .extractingByKey("nodes").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey(node).isEqualTo(Map.of("revision", revision, "endpoints", 1, "ready", true)));

        // An edit in the cluster is a new revision; a deletion deletes it.
        cnps(ns).withName("web").edit(o -> object(cnp(ns, "web", "/private")));
        Eventually.holds(() -> given().get(path).then().statusCode(200)
                .body("spec.ingress[0].toPorts[0].rules.http[0].path", equalTo("/private")));
        cnps(ns).withName("web").delete();
        Eventually.holds(() -> given().get(path).then().statusCode(404));
        assertThat(published(ns + "/web")).isInstanceOf(PolicyEvent.Deleted.class);
    }

    @Test
    void anInvalidCnpGetsValidFalseWithEveryCauseAndIsNotStored() throws Exception {
        String ns = unique("ns");
        String bad = cnp(ns, "bad", "/v1/(unclosed").replace("protocol: TCP", "protocol: UDP");
        cnps(ns).resource(object(bad)).create();

        Eventually.holds(() -> {
            Map<String, Object> status = status(cnps(ns).withName("bad"));
            assertThat(condition(status)).containsEntry("status", "False").containsEntry("reason", "Invalid");
            @SuppressWarnings("unchecked")
            List<Map<String, String>> errors = (List<Map<String, String>>) status.get("errors");
            // Both errors, each with its field path, as the REST intake's 422 lists them.
            assertThat(errors).extracting(e -> e.get("field")).anyMatch(f -> f.endsWith("rules.http[0].path"))
                    .anyMatch(f -> f.contains("toPorts[0]") && !f.endsWith("path"));
            assertThat((String) condition(status).get("message")).contains("http[0].path");
        });
        given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/bad").then().statusCode(404);

        // Fixed in the cluster: stored, Valid=True.
        cnps(ns).withName("bad").edit(o -> object(cnp(ns, "bad", "/v1/ok")));
        Eventually.holds(() -> assertThat(condition(status(cnps(ns).withName("bad")))).containsEntry("status", "True"));
        given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/bad").then().statusCode(200);
    }

    @Test
    void aCcnpIsStoredToo() throws Exception {
        String name = unique("ccnp");
        var ccnps = client.genericKubernetesResources(PolicyWatch.context(PolicyKind.CCNP));
        ccnps.resource(object("""
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata: {name: %s}
                spec:
                  endpointSelector: {matchLabels: {app: x}}
                  egress:
                  - toEntities: [world]
                """.formatted(name))).create();
        Eventually.holds(() -> given().get("/v1/ciliumclusterwidenetworkpolicies/" + name).then().statusCode(200));
        Eventually.holds(() -> assertThat(condition(status(ccnps.withName(name)))).containsEntry("status", "True"));
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> cnps(String ns) {
        return client.genericKubernetesResources(PolicyWatch.context(PolicyKind.CNP)).inNamespace(ns);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(Resource<GenericKubernetesResource> r) {
        GenericKubernetesResource o = r.get();
        assertThat(o).isNotNull();
        Object status = o.getAdditionalProperties().get("status");
        assertThat(status).as("status of " + o.getMetadata().getName()).isInstanceOf(Map.class);
        return (Map<String, Object>) status;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> condition(Map<String, Object> status) {
        return ((List<Map<String, Object>>) status.get("conditions")).getFirst();
    }

    private static GenericKubernetesResource object(String yaml) {
        try {
            return YAML.readValue(yaml, GenericKubernetesResource.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String cnp(String ns, String name, String httpPath) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: %s
                  namespace: %s
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: "{}"
                spec:
                  endpointSelector:
                    matchLabels: {app: web}
                  ingress:
                  - fromEndpoints:
                    - matchLabels: {app: client}
                    toPorts:
                    - ports:
                      - {port: "80", protocol: TCP}
                      rules:
                        http:
                        - {method: GET, path: "%s"}
                """.formatted(name, ns, httpPath);
    }

    /** The newest event for {@code key} on the policies topic (read_committed: what the store published). */
    private PolicyEvent published(String key) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "group.id", "test-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("portcullis.policies"));
            PolicyEvent last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (last == null || emptyPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (key.equals(r.key()) && r.value() != null) {
                        last = MeshJson.decode(r.value(), PolicyEvent.class, PolicyEvent.SCHEMA_VERSION);
                    }
                }
            }
            assertThat(last).as("an event for " + key + " on portcullis.policies").isNotNull();
            return last;
        }
    }
}
