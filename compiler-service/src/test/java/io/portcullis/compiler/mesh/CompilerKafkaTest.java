package io.portcullis.compiler.mesh;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.compiler.Fixtures;
import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.compiler.explain.ExplainResponse;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCases;
import io.portcullis.policy.conformance.InProcessCluster;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The service against a real broker: inputs produced as the other services would, the output topic read
 * back and decoded, REST answers compared with the pure engine and {@link InProcessCluster}. Tests share one
 * application and broker, so each uses its own nodes, namespaces and identity numbers.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@Order(1)
class CompilerKafkaTest {

    /** Policy revisions, as policy-api would hand them out: one sequence for the whole topic. */
    private static final AtomicLong REVISION = new AtomicLong();
    static final String STARWARS_NODE_1 = "sw-1";
    static final String STARWARS_NODE_2 = "sw-2";

    private static Topics topics;

    @BeforeAll
    static void clients() {
        topics = new Topics();
    }

    @AfterAll
    static void close() {
        topics.close();
    }

    @Test
    void starwarsOverKafkaMatchesThePureEngineAndInProcessClusterAndRepublishesOnlyWhatChanged() throws Exception {
        ConformanceCase c = ConformanceCases.load(ConformanceCases.sharedCasesDir().resolve("starwars-demo.yaml"));
        InProcessCluster cluster = new InProcessCluster();
        Map<String, Subject> subjects = new HashMap<>();
        for (ConformanceCase.CaseEndpoint e : c.endpointsOrEmpty()) {
            Identity id = cluster.addEndpoint(e).identity();
            EndpointRecord ep = Fixtures.endpoint(e.name().equals("xwing") ? STARWARS_NODE_2 : STARWARS_NODE_1, e);
            addEndpoint(ep, id);
            subjects.put(ep.key(), new Subject(id, ep.namedPorts()));
        }
        topics.awaitOutput(r -> r.key().equals(NodeRevisionRecord.key(STARWARS_NODE_1))
                && Topics.decode(r) instanceof NodeRevisionRecord w && w.endpoints().size() == 2, "sw-1 compiled");
        topics.awaitOutput(r -> r.key().equals(NodeRevisionRecord.key(STARWARS_NODE_2))
                && Topics.decode(r) instanceof NodeRevisionRecord w && w.endpoints().size() == 1, "sw-2 compiled");

        int checks = 0;
        int step = 0;
        for (ConformanceCase.Step s : c.allSteps()) {
            long before = topics.output().size();
            long revision = s.apply() == null && s.delete() == null ? REVISION.get() : REVISION.incrementAndGet();
            if (s.apply() != null) {
                cluster.apply(s.apply());
                Fixtures.policies(s.apply()).forEach(p -> topics.send("portcullis.policies", p.key(),
                        PolicyEvent.Applied.of(revision, p)));
            }
            for (String ref : s.delete() == null ? List.<String>of() : s.delete()) {
                cluster.delete(ref);
                String[] parts = ref.split("/");
                String key = PolicyKind.fromKindName(parts[0]) == PolicyKind.CNP ? parts[1] + "/" + parts[2] : parts[1];
                topics.send("portcullis.policies", key, PolicyEvent.Deleted.of(revision, key));
            }
            List<ConsumerRecord<String, byte[]>> all = topics.awaitWatermark(STARWARS_NODE_2, revision);
            Map<String, Object> latest = Topics.latest(all, 0);

            // Every published map decodes to the policy the pure engine computes.
            for (var e : subjects.entrySet()) {
                EndpointPolicyRecord r = (EndpointPolicyRecord) latest.get(e.getKey());
                assertThat(EndpointPolicyCodec.decode(r, e.getValue()).mapState()).as(e.getKey())
                        .isEqualTo(cluster.engine().policyFor(e.getValue()).mapState());
                NodeRevisionRecord w = (NodeRevisionRecord) latest.get(NodeRevisionRecord.key(r.node()));
                assertThat(w.endpoints().get(r.endpoint())).isEqualTo(r.revision());
            }
            // Every step of the case changes deathstar's ingress only: nobody else gets a record.
            Set<String> republished = all.stream().skip(before).map(ConsumerRecord::key)
                    .filter(k -> !NodeRevisionRecord.isKey(k)).collect(Collectors.toSet());
            assertThat(republished).as("step %d", step)
                    .isEqualTo(step == 0 ? Set.of() : Set.of(STARWARS_NODE_1 + "/default/deathstar"));

            for (ConformanceCase.Check check : s.checksOrEmpty()) {
                ExplainResponse expected = ExplainResponse.of(cluster.check(check), revision);
                ExplainResponse actual = given().contentType(ContentType.JSON).body(Fixtures.request(check))
                        .post("/v1/explain").then().statusCode(200).extract().as(ExplainResponse.class);
                assertThat(actual).as(check.toString()).isEqualTo(expected);
                assertThat(actual.verdict()).as(check.toString()).isEqualTo(check.expect());
                checks++;
            }
            step++;
        }
        assertThat(checks).isEqualTo(9);
    }

    @Test
    void listsEndpointsServesTheirDesiredPolicyAndSaysWhyOneHasNone() {
        EndpointRecord web = Fixtures.endpoint("rest-1", "rest", "web", Map.of("app", "web"), List.of("127.20.0.1"), Map.of());
        EndpointRecord pending = Fixtures.endpoint("rest-1", "rest", "pending", Map.of("app", "pending"), List.of(), Map.of());
        addEndpoint(web, Fixtures.identity(2001, web));
        topics.send("portcullis.endpoints", pending.key(), pending);
        topics.awaitOutput(r -> r.key().equals("rest-1/rest/web"), "rest-1/rest/web");
        awaitListed("rest/pending");

        given().get("/v1/endpoints").then().statusCode(200)
                .body("find { it.name == 'web' }.identity", equalTo(2001))
                .body("find { it.name == 'web' }.compiled", equalTo(true))
                .body("find { it.name == 'web' }.node", equalTo("rest-1"))
                .body("find { it.name == 'pending' }.compiled", equalTo(false));
        EndpointPolicyRecord record = given().get("/v1/endpoints/rest-1/rest/web/policy").then().statusCode(200)
                .extract().as(EndpointPolicyRecord.class);
        assertThat(record.endpoint()).isEqualTo("rest/web");
        assertThat(record.identity()).isEqualTo(2001);
        assertThat(record.ingress().enforced()).isFalse();
        given().get("/v1/endpoints/rest-1/rest/pending/policy").then().statusCode(404)
                .body("message", containsString("no identity assigned"));
        given().get("/v1/endpoints/rest-1/rest/nobody/policy").then().statusCode(404);
    }

    @Test
    void explainRefusesMalformedFlows() {
        given().contentType(ContentType.JSON).body("{\"to\":{\"ip\":\"10.0.0.1\"},\"port\":80}")
                .post("/v1/explain").then().statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{\"from\":{\"ip\":\"10.0.0.1\"},\"to\":{\"ip\":\"10.0.0.2\"},\"port\":80,\"colour\":\"red\"}")
                .post("/v1/explain").then().statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{\"from\":{\"endpoint\":\"nowhere/none\"},\"to\":{\"ip\":\"10.0.0.2\"},\"port\":80}")
                .post("/v1/explain").then().statusCode(404).body("message", containsString("unknown endpoint"));
        given().contentType(ContentType.JSON)
                .body("{\"from\":{\"ip\":\"10.0.0.1\"},\"to\":{\"ip\":\"10.0.0.2\"},\"port\":70000}")
                .post("/v1/explain").then().statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{\"from\":{\"ip\":\"10.0.0.1\"},\"to\":{\"ip\":\"10.0.0.2\"},\"port\":80,\"protocol\":\"TCP\"}")
                .post("/v1/explain").then().statusCode(200).body("verdict", equalTo("ALLOWED"))
                .body("egress.decision", equalTo("NOT_EVALUATED"));
    }

    @Test
    void aDeletedEndpointGetsATombstoneAndItsEmptiedNodeToo() {
        EndpointRecord ep = Fixtures.endpoint("gone-1", "gone", "temp", Map.of("app", "temp"), List.of(), Map.of());
        addEndpoint(ep, Fixtures.identity(3001, ep));
        topics.awaitOutput(r -> r.key().equals(ep.key()) && r.value() != null, ep.key());

        topics.send("portcullis.endpoint-identities", ep.key(), null);
        topics.send("portcullis.endpoints", ep.key(), null);
        var all = topics.awaitOutput(r -> r.key().equals("gone-1/*") && r.value() == null, "gone-1 watermark tombstone");
        assertThat(Topics.latest(all, 0)).containsEntry(ep.key(), null);
    }

    @Test
    void exposesMetricsAndOpenApi() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("portcullis_compiler_compiles_total", "portcullis_compiler_compile_time_seconds_bucket",
                "portcullis_compiler_endpoints", "portcullis_compiler_policies", "portcullis_compiler_revision");
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/v1/explain")).body(containsString("/v1/endpoints/{node}/{namespace}/{name}/policy"));
    }

    private static void addEndpoint(EndpointRecord ep, Identity id) {
        topics.send("portcullis.identities", Long.toString(id.id()), IdentityRecord.of(id));
        topics.send("portcullis.endpoints", ep.key(), ep);
        topics.send("portcullis.endpoint-identities", ep.key(), EndpointIdentityRecord.of(ep.key(), id.id()));
    }

    private static void awaitListed(String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<String> names = given().get("/v1/endpoints").then().extract().jsonPath().getList("findAll { true }.collect { it.namespace + '/' + it.name }");
            if (names.contains(name)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError(name + " never listed");
    }
}
