package io.portcullis.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.realized.RealizedRecord;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.testsupport.Eventually;
import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent against a real broker, with the test playing identity-service and compiler-service. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class NodeAgentKafkaTest implements HealthProbesContract {

    @BeforeEach
    void ready() {
        AgentDriver.awaitReady();
    }

    @Test
    void seedL7RuleRegistersRealizesReportsAndAnswersEveryCheck() {
        ConformanceCase c = ControlPlaneDouble.loadCase("seed-l7-rule");
        AgentDriver driver = new AgentDriver();
        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            Response r = driver.register(e);
            r.then().statusCode(201)
                    .body("id", equalTo(e.key()))
                    .body("identity", equalTo((int) driver.plane().identityOf(e.key())))
                    .body("state", equalTo("waiting-for-policy"));
        }
        // No map yet: fail closed.
        ConformanceCase.Check allowedLater = c.allSteps().getFirst().checksOrEmpty().getFirst();
        given().contentType(ContentType.JSON).body(ControlPlaneDouble.verdictBody(allowedLater)).post("/v1/verdicts")
                .then().statusCode(200).body("verdict", equalTo("DENIED")).body("reason", containsString("waiting for policy"));

        long revision = AgentDriver.nextRevision();
        driver.applyPolicies(c, revision);
        for (CaseEndpoint e : c.endpointsOrEmpty()) {
            Eventually.holds(() -> given().get("/v1/endpoints/" + e.key()).then().statusCode(200)
                    .body("state", equalTo("ready")).body("policyRevision", equalTo((int) revision)));
            Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.REALIZED, "node-1/" + e.key()))
                    .hasValueSatisfying(r -> assertThat(MeshJson.decode(r.value(), RealizedRecord.class, 1))
                            .isEqualTo(RealizedRecord.of("node-1", e.key(), revision))));
        }
        given().get("/v1/endpoints/default/myservice/policy").then().statusCode(200)
                .body("revision", equalTo((int) revision))
                .body("endpoint", equalTo("default/myservice"))
                .body("ingress.enforced", equalTo(true))
                .body("entries.proxy", hasItem("HTTP"));

        for (ConformanceCase.Check check : c.allSteps().getFirst().checksOrEmpty()) {
            assertThat(AgentDriver.verdict(check)).as(check.toString()).isEqualTo(check.expect());
        }
        given().contentType(ContentType.JSON).body(ControlPlaneDouble.verdictBody(allowedLater)).post("/v1/verdicts")
                .then().statusCode(200)
                .body("verdict", equalTo("ALLOWED"))
                .body("policies", hasItem("default/l7-rule"))
                .body("ingress.redirect", equalTo("http"))
                .body("egress.decision", equalTo("ALLOWED"))
                .body("from.endpoint", equalTo("default/client"))
                .body("to.policyRevision", equalTo((int) revision));

        // Re-posting the same endpoint is idempotent; another spec under its id is a conflict.
        CaseEndpoint client = c.endpointsOrEmpty().get(1);
        given().contentType(ContentType.JSON).body(AgentDriver.body(client)).post("/v1/endpoints").then()
                .statusCode(200).body("id", equalTo("default/client")).body("state", equalTo("ready"));
        Map<String, Object> relabelled = AgentDriver.body(client);
        relabelled.put("labels", Map.of("app", "other"));
        given().contentType(ContentType.JSON).body(relabelled).post("/v1/endpoints").then()
                .statusCode(409).body("error", containsString("different spec"));

        given().get("/v1/endpoints").then().statusCode(200).body("node", equalTo("node-1"))
                .body("newestRevision", equalTo((int) revision))
                .body("items.id", hasItems("default/client", "default/myservice"));
        given().urlEncodingEnabled(false).get("/v1/endpoints/default%2Fclient").then().statusCode(200)
                .body("id", equalTo("default/client"));

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_agent_verdicts_total{verdict=\"ALLOWED\"}"))
                .body(containsString("portcullis_agent_verdicts_total{verdict=\"DENIED\"}"))
                .body(containsString("portcullis_agent_endpoints{state=\"ready\"}"));
    }

    @Test
    void deleteTombstonesTheEndpointAndItsRealizedRecord() {
        AgentDriver driver = new AgentDriver();
        CaseEndpoint temp = new CaseEndpoint("temp", "other", Map.of("app", "temp"), null, null,
                List.of("127.10.9.1"), null);
        driver.register(temp).then().statusCode(201);
        MeshClient.send(driver.plane().compile(AgentDriver.nextRevision()));
        Eventually.holds(() -> given().get("/v1/endpoints/other/temp").then().body("state", equalTo("ready")));
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.REALIZED, "node-1/other/temp"))
                .hasValueSatisfying(r -> assertThat(r.value()).isNotNull()));

        given().delete("/v1/endpoints/other/temp").then().statusCode(204);
        given().get("/v1/endpoints/other/temp").then().statusCode(404).body("error", containsString("no endpoint other/temp"));
        assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, "node-1/other/temp"))
                .hasValueSatisfying(r -> assertThat(r.value()).isNull());
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.REALIZED, "node-1/other/temp"))
                .hasValueSatisfying(r -> assertThat(r.value()).isNull()));
        given().urlEncodingEnabled(false).delete("/v1/endpoints/other%2Ftemp").then().statusCode(404);
    }

    @Test
    void withoutAnIdentityRegistrationTimesOutWith504ButStaysRegistered() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "lonely", "namespace", "default", "ips", List.of("127.10.9.9")))
                .post("/v1/endpoints").then().statusCode(504).body("error", containsString("waiting for its identity"));
        given().get("/v1/endpoints/default/lonely").then().statusCode(200)
                .body("state", equalTo("waiting-for-identity")).body("identity", equalTo(null));
        given().get("/v1/endpoints/default/lonely/policy").then().statusCode(404)
                .body("error", containsString("no realized policy map"));
    }

    @Test
    void badEndpointBodiesAreRejectedAndNothingIsPublished() {
        post("/v1/endpoints", "{\"name\": ").then().statusCode(400).body("error", containsString("malformed JSON"));
        post("/v1/endpoints", "").then().statusCode(400).body("error", containsString("empty"));
        post("/v1/endpoints", "{\"name\":\"x1\",\"colour\":\"red\"}").then().statusCode(400)
                .body("error", equalTo("unknown field 'colour'"));
        post("/v1/endpoints", "{\"name\":\"x1\",\"ips\":\"127.0.0.1\"}").then().statusCode(400)
                .body("error", containsString("at ips"));
        post("/v1/endpoints", "{\"name\":\"x1\",\"namedPorts\":{\"http\":\"eighty\"}}").then().statusCode(400)
                .body("error", containsString("namedPorts.http"));
        post("/v1/endpoints", "{\"name\":\"Bad_Name\",\"ips\":[\"127.0.0.300\"],\"labels\":{\"app\":\"-x-\"}}")
                .then().statusCode(422)
                .body("error", containsString("invalid endpoint"))
                .body("causes.field", hasItems("name", "ips[0]", "labels.app"));
        given().get("/v1/endpoints").then().body("items.id", not(hasItem("default/x1")));
        assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, "node-1/default/x1")).isEmpty();
        assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, "node-1/default/Bad_Name")).isEmpty();
    }

    @Test
    void badVerdictBodiesSayWhatIsWrong() {
        post("/v1/verdicts", "[]").then().statusCode(400).body("error", containsString("invalid value"));
        post("/v1/verdicts", "{\"from\":{\"ip\":\"127.0.0.1\"},\"to\":{\"ip\":\"127.0.0.2\"},\"port\":80,"
                + "\"protocol\":\"TCP\",\"expect\":\"ALLOWED\"}").then().statusCode(400)
                .body("error", equalTo("unknown field 'expect'"));
        post("/v1/verdicts", "{\"from\":{\"ip\":\"127.0.0.1\"},\"to\":{\"ip\":\"127.0.0.2\"},\"port\":\"80\","
                + "\"protocol\":\"TCP\"}").then().statusCode(400).body("error", containsString("port"));
        post("/v1/verdicts", "{\"from\":{\"ip\":\"nope\"},\"to\":{\"ip\":\"127.0.0.2\"},\"port\":80,"
                + "\"protocol\":\"TCP\"}").then().statusCode(400).body("error", containsString("from.ip"));
        post("/v1/verdicts", "{\"from\":{\"endpoint\":\"default/ghost\"},\"to\":{\"ip\":\"127.0.0.2\"},\"port\":80,"
                + "\"protocol\":\"TCP\"}").then().statusCode(422).body("error", containsString("default/ghost"));
        // Two addresses that are no endpoints: neither side is evaluated here, so nothing denies.
        post("/v1/verdicts", "{\"from\":{\"ip\":\"127.0.0.1\"},\"to\":{\"ip\":\"127.0.0.2\"},\"port\":80,"
                + "\"protocol\":\"TCP\"}").then().statusCode(200).body("verdict", equalTo("ALLOWED"))
                .body("ingress.decision", equalTo("NOT_EVALUATED")).body("to.identity", equalTo(2));
    }

    @Test
    void openApiDescribesTheContract() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/verdicts"))
                .body(containsString("/v1/endpoints/{namespace}/{name}/policy"));
        given().get("/q/health/ready").then().body("checks.data.node", hasItem("node-1"))
                .body("checks.data.endpoints", hasItem(notNullValue()));
    }

    private static Response post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path);
    }
}
