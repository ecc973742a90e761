package io.portcullis.agent;

import static io.portcullis.testsupport.BadInput.Bad.of;
import static io.restassured.RestAssured.given;

import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.testsupport.BadInput;
import io.portcullis.testsupport.BadInput.Bad;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every REST call of the agent with garbage, wrong JSON types, wrong content types, oversize bodies and
 * bad path parameters: each is a 4xx {@code ApiError} that says why, and the node's endpoints (ids, and the
 * full view of one registered endpoint) are the same afterwards.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputSweepTest {

    private static final String NS = "bad-input";
    private static final String JSON = "application/json";
    private static final String VERDICT_OK = """
            {"from": {"endpoint": "bad-input/web"}, "to": {"ip": "127.30.0.9"}, "port": 80, "protocol": "TCP"}""";

    @BeforeEach
    void registered() {
        AgentDriver.awaitReady();
        if (given().get("/v1/endpoints/" + NS + "/web").statusCode() != 200) {
            new AgentDriver().register(new CaseEndpoint("web", NS, Map.of("app", "web"), Map.of(), "default",
                    List.of("127.30.0.1"), Map.of("http", 80))).then().statusCode(201);
        }
    }

    /** {@code json} with one more top-level field. */
    private static String with(String json, String field) {
        int end = json.lastIndexOf('}');
        return json.substring(0, end) + ", " + field + "}";
    }

    /** Ids of every endpoint of the node, and the whole view of the one this test registered. */
    private static String state() {
        return given().get("/v1/endpoints").then().statusCode(200).extract().jsonPath().getList("items.id")
                + given().get("/v1/endpoints/" + NS + "/web").then().statusCode(200).extract().asString();
    }

    @Test
    void registrationsRefuseBadBodies() {
        String valid = """
                {"name": "db", "namespace": "bad-input", "labels": {"app": "db"}, "ips": ["127.30.0.2"]}""";
        List<Bad> table = List.of(
                of("garbage", "POST", "/v1/endpoints", JSON, "garbage{", 400),
                of("empty body", "POST", "/v1/endpoints", JSON, "", 400),
                of("JSON null", "POST", "/v1/endpoints", JSON, "null", 400),
                of("an array", "POST", "/v1/endpoints", JSON, "[" + valid + "]", 400),
                of("a number", "POST", "/v1/endpoints", JSON, "5", 400),
                of("trailing garbage", "POST", "/v1/endpoints", JSON, valid + " }", 400),
                of("name a number", "POST", "/v1/endpoints", JSON, valid.replace("\"db\",", "5,"), 400),
                of("label value a number", "POST", "/v1/endpoints", JSON, valid.replace("{\"app\": \"db\"}", "{\"app\": 5}"), 400),
                of("label value a boolean", "POST", "/v1/endpoints", JSON, valid.replace("{\"app\": \"db\"}", "{\"app\": true}"), 400),
                of("labels a list", "POST", "/v1/endpoints", JSON, valid.replace("{\"app\": \"db\"}", "[\"app\"]"), 400),
                of("ips a string", "POST", "/v1/endpoints", JSON, valid.replace("[\"127.30.0.2\"]", "\"127.30.0.2\""), 400),
                of("named port a string", "POST", "/v1/endpoints", JSON, with(valid, "\"namedPorts\": {\"http\": \"80\"}"), 400),
                of("unknown field", "POST", "/v1/endpoints", JSON, with(valid, "\"colour\": \"red\""), 400),
                of("not an IP", "POST", "/v1/endpoints", JSON, valid.replace("127.30.0.2", "127.30.0.256"), 422),
                of("bad name", "POST", "/v1/endpoints", JSON, valid.replace("\"db\",", "\"DB_1\","), 422),
                of("missing name", "POST", "/v1/endpoints", JSON, "{\"ips\": [\"127.30.0.2\"]}", 422),
                of("named port out of range", "POST", "/v1/endpoints", JSON, with(valid, "\"namedPorts\": {\"http\": 70000}"), 422),
                of("another spec under a taken id", "POST", "/v1/endpoints", JSON, valid.replace("\"db\",", "\"web\","), 409),
                of("text/plain", "POST", "/v1/endpoints", "text/plain", valid, 415),
                of("YAML", "POST", "/v1/endpoints", "application/yaml", valid, 415),
                of("no content type", "POST", "/v1/endpoints", null, valid, 415),
                new Bad("2 MiB body", "POST", "/v1/endpoints", JSON, BadInput.huge(2 << 20), 413),
                of("PUT on the collection", "PUT", "/v1/endpoints", JSON, valid, 405));
        BadInput.assertAllRefusedUnchanged(table, "error", BadInputSweepTest::state);
    }

    @Test
    void verdictsRefuseBadBodies() {
        List<Bad> table = List.of(
                of("garbage", "POST", "/v1/verdicts", JSON, "{\"from\":", 400),
                of("empty body", "POST", "/v1/verdicts", JSON, "", 400),
                of("an array", "POST", "/v1/verdicts", JSON, "[]", 400),
                of("empty object", "POST", "/v1/verdicts", JSON, "{}", 400),
                of("port a string", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("80", "\"http\""), 400),
                of("port out of range", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("80", "70000"), 400),
                of("port a fraction", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("80", "80.5"), 400),
                of("unknown protocol", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("TCP", "QUIC"), 400),
                of("protocol a number", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("\"TCP\"", "6"), 400),
                of("not an IP", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("127.30.0.9", "localhost"), 400),
                of("endpoint and ip on one side", "POST", "/v1/verdicts", JSON,
                        VERDICT_OK.replace("{\"ip\": \"127.30.0.9\"}", "{\"ip\": \"127.30.0.9\", \"endpoint\": \"bad-input/web\"}"), 400),
                of("from a string", "POST", "/v1/verdicts", JSON, VERDICT_OK.replace("{\"endpoint\": \"bad-input/web\"}", "\"web\""), 400),
                of("unknown field", "POST", "/v1/verdicts", JSON, with(VERDICT_OK, "\"ttl\": 3"), 400),
                of("text/plain", "POST", "/v1/verdicts", "text/plain", VERDICT_OK, 415),
                new Bad("2 MiB body", "POST", "/v1/verdicts", JSON, BadInput.huge(2 << 20), 413),
                of("GET", "GET", "/v1/verdicts", null, null, 405));
        BadInput.assertAllRefusedUnchanged(table, "error", BadInputSweepTest::state);
    }

    @Test
    void endpointPathsRefuseBadIds() {
        List<Bad> table = List.of(
                of("unknown endpoint", "GET", "/v1/endpoints/" + NS + "/nope", null, null, 404),
                of("id without namespace", "GET", "/v1/endpoints/web", null, null, 404),
                of("upper case", "GET", "/v1/endpoints/" + NS + "/WEB", null, null, 404),
                of("policy of an unknown endpoint", "GET", "/v1/endpoints/" + NS + "/nope/policy", null, null, 404),
                of("delete unknown", "DELETE", "/v1/endpoints/" + NS + "/nope", null, null, 404),
                of("delete id without namespace", "DELETE", "/v1/endpoints/web", null, null, 404),
                of("unknown route", "GET", "/v1/nothing", null, null, 404),
                of("POST on an endpoint", "POST", "/v1/endpoints/" + NS + "/web", JSON, "{}", 405));
        BadInput.assertAllRefusedUnchanged(table, "error", BadInputSweepTest::state);
    }
}
