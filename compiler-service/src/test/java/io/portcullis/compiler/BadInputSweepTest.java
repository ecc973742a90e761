package io.portcullis.compiler;

import static io.portcullis.testsupport.BadInput.Bad.of;
import static io.restassured.RestAssured.given;

import io.portcullis.compiler.mesh.KafkaBrokerResource;
import io.portcullis.testsupport.BadInput;
import io.portcullis.testsupport.BadInput.Bad;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * compiler-service's REST with garbage, wrong JSON types, wrong content types, oversize bodies and bad
 * paths: each is a 4xx {@code ApiError} that says why, and the desired state reads the same afterwards.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class BadInputSweepTest {

    private static final String JSON = "application/json";
    private static final String FLOW = """
            {"from": {"ip": "10.0.0.1"}, "to": {"ip": "10.0.0.2"}, "port": 80, "protocol": "TCP"}""";

    @BeforeEach
    void awaitReplay() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static String state() {
        return given().get("/v1/endpoints").then().statusCode(200).extract().asString();
    }

    private static String with(String json, String field) {
        return json.substring(0, json.lastIndexOf('}')) + ", " + field + "}";
    }

    @Test
    void everyCallRefusesBadInput() {
        List<Bad> table = List.of(
                of("garbage", "POST", "/v1/explain", JSON, "garbage{", 400),
                of("an array", "POST", "/v1/explain", JSON, "[" + FLOW + "]", 400),
                of("JSON null", "POST", "/v1/explain", JSON, "null", 400),
                of("empty object", "POST", "/v1/explain", JSON, "{}", 400),
                of("trailing garbage", "POST", "/v1/explain", JSON, FLOW + "}", 400),
                of("port a string", "POST", "/v1/explain", JSON, FLOW.replace("80", "\"80\""), 400),
                of("port a fraction", "POST", "/v1/explain", JSON, FLOW.replace("80", "80.5"), 400),
                of("port out of range", "POST", "/v1/explain", JSON, FLOW.replace("80", "70000"), 400),
                of("from a number", "POST", "/v1/explain", JSON, FLOW.replace("{\"ip\": \"10.0.0.1\"}", "5"), 400),
                of("ip a number", "POST", "/v1/explain", JSON, FLOW.replace("\"10.0.0.1\"", "10"), 400),
                of("unknown field", "POST", "/v1/explain", JSON, with(FLOW, "\"ttl\": 3"), 400),
                of("text/plain", "POST", "/v1/explain", "text/plain", FLOW, 415),
                of("YAML", "POST", "/v1/explain", "application/yaml", FLOW, 415),
                new Bad("2 MiB body", "POST", "/v1/explain", JSON, BadInput.huge(2 << 20), 413),
                of("GET explain", "GET", "/v1/explain", null, null, 405),
                of("unknown endpoint", "GET", "/v1/endpoints/node-1/default/nope/policy", null, null, 404),
                of("too few path segments", "GET", "/v1/endpoints/default/nope/policy", null, null, 404),
                of("POST endpoints", "POST", "/v1/endpoints", JSON, "{}", 405),
                of("unknown route", "GET", "/v1/nothing", null, null, 404));
        BadInput.assertAllRefusedUnchanged(table, "message", BadInputSweepTest::state);
    }
}
