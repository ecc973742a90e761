package io.portcullis.api.auth;

import static io.portcullis.api.Policies.cnp;
import static io.portcullis.api.Policies.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.api.KafkaBrokerResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens required (as when bound beyond loopback): viewers read, editors write. */
@QuarkusTest
@TestProfile(AuthTest.TokensRequired.class)
class AuthTest {

    public static class TokensRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "portcullis.auth.required", "true",
                    "portcullis.auth.tokens.dashboard.token", "viewer-secret",
                    "portcullis.auth.tokens.dashboard.role", "viewer",
                    "portcullis.auth.tokens.ci.token", "editor-secret",
                    "portcullis.auth.tokens.ci.role", "editor");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class));
        }
    }

    private final String ns = unique("ns");
    private final byte[] policy = cnp(ns, "web", "web").getBytes(StandardCharsets.UTF_8);

    @Test
    void noOrUnknownTokenIs401() {
        given().get("/v1/policies").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("kind", equalTo("Status")).body("reason", equalTo("Unauthorized"));
        given().auth().oauth2("wrong").get("/v1/policies").then().statusCode(401);
        given().header("Authorization", "Basic ZWRpdG9yLXNlY3JldA==").get("/v1/policies").then().statusCode(401);
        given().contentType("application/yaml").body(policy).post("/v1/policies").then().statusCode(401);
    }

    @Test
    void viewersReadButCannotWrite() {
        given().auth().oauth2("viewer-secret").get("/v1/policies").then().statusCode(200);
        given().auth().oauth2("viewer-secret").contentType("application/yaml").body(policy).post("/v1/policies")
                .then().statusCode(403).body("reason", equalTo("Forbidden")).body("code", equalTo(403));
        given().auth().oauth2("viewer-secret").get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web")
                .then().statusCode(404);
        given().auth().oauth2("viewer-secret").delete("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web")
                .then().statusCode(403);
    }

    @Test
    void editorsDoEverything() {
        given().auth().oauth2("editor-secret").contentType("application/yaml").body(policy).post("/v1/policies")
                .then().statusCode(200);
        given().auth().oauth2("viewer-secret").get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web")
                .then().statusCode(200);
        given().auth().oauth2("editor-secret").delete("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web")
                .then().statusCode(200);
    }

    @Test
    void probesMetricsAndTheApiDocumentStayOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
