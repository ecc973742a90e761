package io.portcullis.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import io.portcullis.testsupport.mesh.ControlPlaneDouble.MeshRecord;
import io.portcullis.agent.endpoint.EndpointRequest;
import io.portcullis.agent.endpoint.EndpointValidation;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.realized.RealizedRecord;
import io.portcullis.mesh.runtime.TopicProvisioner;
import io.portcullis.mesh.runtime.TopicSpec;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The agent starts on topics a previous instance (killed without warning) and the control plane left
 * behind: it rebuilds everything before it is ready, reports only what the topic lacks, and then keeps
 * answering verdicts from that state after the broker is gone.
 */
@QuarkusTest
@TestProfile(RestartAndFailStaticTest.Profile.class)
@WithTestResource(RestartAndFailStaticTest.History.class)
class RestartAndFailStaticTest {

    static final long REVISION = 3;

    /** Its own application (and broker): this test stops the broker. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    /** What was on the topics when the agent was killed. */
    public static class History extends KafkaBrokerResource {
        @Override
        protected void seed() {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
                List<TopicSpec> topics = new ArrayList<>();
                for (String t : List.of(ControlPlaneDouble.ENDPOINTS, ControlPlaneDouble.IDENTITIES,
                        ControlPlaneDouble.IPCACHE, ControlPlaneDouble.ENDPOINT_IDENTITIES,
                        ControlPlaneDouble.ENDPOINT_POLICIES, ControlPlaneDouble.REALIZED)) {
                    topics.add(new TopicSpec(t, 1, (short) 1, Map.of("cleanup.policy", "compact")));
                }
                new TopicProvisioner(admin, Duration.ofSeconds(20)).provision(topics);
            }
            ConformanceCase c = ControlPlaneDouble.loadCase("seed-l7-rule");
            ControlPlaneDouble plane = new ControlPlaneDouble(AgentDriver.NODE);
            List<MeshRecord> history = new ArrayList<>();
            for (CaseEndpoint e : c.endpointsOrEmpty()) {
                EndpointRecord r = EndpointValidation.toRecord(AgentDriver.NODE, new EndpointRequest(e.name(),
                        e.namespace(), e.labels(), e.namespaceLabels(), e.serviceAccount(), e.ips(), e.namedPorts()));
                history.add(new MeshRecord(ControlPlaneDouble.ENDPOINTS, r.key(), MeshJson.encode(r)));
                history.addAll(plane.register(e));
            }
            // A deleted endpoint whose identity and map were never tombstoned.
            history.add(new MeshRecord(ControlPlaneDouble.ENDPOINTS, "node-1/default/gone", null));
            history.add(new MeshRecord(ControlPlaneDouble.ENDPOINT_IDENTITIES, "node-1/default/gone",
                    MeshJson.encode(EndpointIdentityRecord.of("node-1/default/gone", 999))));
            history.addAll(plane.apply(c.allSteps().getFirst().apply(), REVISION));
            // Only myservice's realization had been reported before the kill.
            history.add(new MeshRecord(ControlPlaneDouble.REALIZED, "node-1/default/myservice",
                    MeshJson.encode(RealizedRecord.of("node-1", "default/myservice", REVISION))));
            MeshClient.send(history);
        }
    }

    @Test
    void rebuildsFromTheTopicsThenKeepsEnforcingWithTheBrokerDown() {
        AgentDriver.awaitReady();
        given().get("/v1/endpoints").then().statusCode(200)
                .body("items.id", containsInAnyOrder("default/client", "default/myservice"))
                .body("items.state", containsInAnyOrder("ready", "ready"))
                .body("items.policyRevision", containsInAnyOrder((int) REVISION, (int) REVISION));
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.REALIZED, "node-1/default/client"))
                .hasValueSatisfying(r -> assertThat(MeshJson.decode(r.value(), RealizedRecord.class, 1))
                        .isEqualTo(RealizedRecord.of("node-1", "default/client", REVISION))));
        ConformanceCase c = ControlPlaneDouble.loadCase("seed-l7-rule");
        List<ConformanceCase.Check> checks = c.allSteps().getFirst().checksOrEmpty();
        checks.forEach(check -> assertThat(AgentDriver.verdict(check)).as(check.toString()).isEqualTo(check.expect()));

        KafkaBrokerResource.stopBroker();

        checks.forEach(check -> assertThat(AgentDriver.verdict(check)).as("broker down: " + check).isEqualTo(check.expect()));
        given().get("/v1/endpoints/default/myservice").then().body("state", equalTo("ready"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        // Nothing new can be registered without the broker; the caller is told so.
        given().contentType(ContentType.JSON).body(Map.of("name", "late", "ips", List.of("127.10.1.9")))
                .post("/v1/endpoints").then().statusCode(oneOf(503, 504));
        checks.forEach(check -> assertThat(AgentDriver.verdict(check)).as("still down: " + check).isEqualTo(check.expect()));
    }
}
