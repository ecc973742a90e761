package io.portcullis.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.testsupport.Eventually;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the agent over REST while {@link ControlPlaneDouble} plays identity-service and compiler-service
 * over the real broker.
 */
public final class AgentDriver {

    public static final String NODE = "node-1";

    /** Revisions are global and monotonic, also across the tests sharing one agent. */
    private static final AtomicLong REVISIONS = new AtomicLong(10);

    private final ControlPlaneDouble plane = new ControlPlaneDouble(NODE);

    public static long nextRevision() {
        return REVISIONS.incrementAndGet();
    }

    public ControlPlaneDouble plane() {
        return plane;
    }

    public static void awaitReady() {
        Eventually.holds(() -> given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }

    public static Map<String, Object> body(CaseEndpoint e) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", e.name());
        b.put("namespace", e.namespace());
        b.put("labels", e.labels());
        if (e.namespaceLabels() != null) {
            b.put("namespaceLabels", e.namespaceLabels());
        }
        if (e.serviceAccount() != null) {
            b.put("serviceAccount", e.serviceAccount());
        }
        b.put("ips", e.ips());
        if (e.namedPorts() != null) {
            b.put("namedPorts", e.namedPorts());
        }
        return b;
    }

    /**
     * POSTs the endpoint; once its record is on the endpoints topic, answers as identity-service would;
     * returns the POST's response.
     */
    public Response register(CaseEndpoint e) {
        CompletableFuture<Response> post = CompletableFuture.supplyAsync(() ->
                given().contentType(ContentType.JSON).body(body(e)).post("/v1/endpoints"));
        String key = NODE + "/" + e.key();
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, key))
                .hasValueSatisfying(r -> assertThat(r.value()).isNotNull()));
        EndpointRecord published = MeshJson.decode(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, key)
                .orElseThrow().value(), EndpointRecord.class, 1);
        assertThat(published.node()).isEqualTo(NODE);
        assertThat(published.id()).isEqualTo(e.key());
        assertThat(published.ips()).isEqualTo(e.ips());
        MeshClient.send(plane.register(e));
        return post.join();
    }

    /** Applies the case's first step as compiler-service would publish it, at {@code revision}. */
    public void applyPolicies(ConformanceCase c, long revision) {
        MeshClient.send(plane.apply(c.allSteps().getFirst().apply(), revision));
    }

    public static String verdict(ConformanceCase.Check check) {
        return given().contentType(ContentType.JSON).body(ControlPlaneDouble.verdictBody(check))
                .post("/v1/verdicts").then().statusCode(200).extract().path("verdict");
    }
}
