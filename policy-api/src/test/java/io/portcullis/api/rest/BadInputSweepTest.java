package io.portcullis.api.rest;

import static io.portcullis.api.Policies.ccnp;
import static io.portcullis.api.Policies.cnp;
import static io.portcullis.testsupport.BadInput.Bad.of;
import static io.restassured.RestAssured.given;

import io.portcullis.api.KafkaBrokerResource;
import io.portcullis.testsupport.BadInput;
import io.portcullis.testsupport.BadInput.Bad;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every policy-api call with garbage, wrong JSON types, wrong content types, oversize bodies and bad
 * path parameters: each is a 4xx Kubernetes Status whose message says why, and the stored policies
 * (the whole list, revision included) are the same afterwards.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputSweepTest {

    private static final String NS = "bad-input";
    private static final String CNP_PATH = "/v1/namespaces/" + NS + "/ciliumnetworkpolicies/web";
    private static final String CCNP_PATH = "/v1/ciliumclusterwidenetworkpolicies/bad-input-cw";
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";

    @BeforeEach
    void stored() {
        given().contentType(YAML).body((cnp(NS, "web", "web") + "---\n" + ccnp("bad-input-cw", "web"))
                        .getBytes(StandardCharsets.UTF_8))
                .post("/v1/policies").then().statusCode(200);
    }

    private static String state() {
        return given().get("/v1/policies").then().statusCode(200).extract().asString();
    }

    private static String huge() {
        return "# " + "x".repeat(2 << 20) + "\n" + cnp(NS, "huge", "a");
    }

    @Test
    void writesRefuseBadBodies() {
        String valid = cnp(NS, "db", "db");
        String validJson = """
                {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy",
                 "metadata": {"name": "db", "namespace": "bad-input"},
                 "spec": {"endpointSelector": {"matchLabels": {"app": "db"}}}}""";
        List<Bad> table = List.of(
                of("garbage JSON", "POST", "/v1/policies", JSON, "garbage{", 400),
                of("unclosed YAML", "POST", "/v1/policies", YAML, "metadata: {name: [", 400),
                of("empty body", "POST", "/v1/policies", YAML, "", 422),
                of("a number", "POST", "/v1/policies", JSON, "5", 422),
                of("an empty list", "POST", "/v1/policies", JSON, "[]", 422),
                of("kind a number", "POST", "/v1/policies", JSON, validJson.replace("\"CiliumNetworkPolicy\"", "5"), 422),
                of("name a number", "POST", "/v1/policies", JSON, validJson.replace("\"db\",", "5,"), 422),
                of("spec a string", "POST", "/v1/policies", JSON,
                        validJson.replace("{\"endpointSelector\": {\"matchLabels\": {\"app\": \"db\"}}}", "\"all\""), 422),
                of("port not a port", "POST", "/v1/policies", YAML, valid.replace("\"80\"", "\"eighty-thousand-and-one\""), 422),
                of("one valid and one invalid document", "POST", "/v1/policies", YAML,
                        valid + "---\n" + cnp(NS, "Bad_Name", "x"), 422),
                of("unknown apiVersion", "POST", "/v1/policies", YAML, valid.replace("cilium.io/v2", "cilium.io/v1"), 422),
                of("text/plain", "POST", "/v1/policies", "text/plain", valid, 415),
                of("XML", "POST", "/v1/policies", "application/xml", "<policy/>", 415),
                of("2 MiB body", "POST", "/v1/policies", YAML, huge(), 413),
                of("PUT garbage", "PUT", CNP_PATH, JSON, "garbage{", 400),
                of("PUT another name than the path", "PUT", CNP_PATH, YAML, cnp(NS, "other", "web"), 400),
                of("PUT another namespace than the path", "PUT", CNP_PATH, YAML, cnp("elsewhere", "web", "web"), 400),
                of("PUT a CCNP on a CNP path", "PUT", CNP_PATH, YAML, ccnp("web", "web"), 400),
                of("PUT two documents", "PUT", CNP_PATH, YAML, cnp(NS, "web", "a") + "---\n" + cnp(NS, "web", "b"), 400),
                of("PUT invalid spec", "PUT", CCNP_PATH, YAML, ccnp("bad-input-cw", "web").replace("[world]", "[nowhere]"), 422),
                of("PUT text/plain", "PUT", CCNP_PATH, "text/plain", ccnp("bad-input-cw", "web"), 415),
                of("PUT 2 MiB", "PUT", CNP_PATH, YAML, huge(), 413),
                of("PUT unknown policy", "PUT", "/v1/namespaces/" + NS + "/ciliumnetworkpolicies/nope", YAML,
                        cnp(NS, "nope", "web"), 404));
        BadInput.assertAllRefusedUnchanged(table, "message", BadInputSweepTest::state);
    }

    @Test
    void readsAndDeletesRefuseBadPaths() {
        List<Bad> table = List.of(
                of("list of an impossible namespace", "GET", "/v1/namespaces/Bad_NS/ciliumnetworkpolicies", null, null, 400),
                of("unknown CNP", "GET", "/v1/namespaces/" + NS + "/ciliumnetworkpolicies/nope", null, null, 404),
                of("unknown CCNP", "GET", "/v1/ciliumclusterwidenetworkpolicies/nope", null, null, 404),
                of("delete unknown CNP", "DELETE", "/v1/namespaces/" + NS + "/ciliumnetworkpolicies/nope", null, null, 404),
                of("delete unknown CCNP", "DELETE", "/v1/ciliumclusterwidenetworkpolicies/nope", null, null, 404),
                of("delete the collection", "DELETE", "/v1/policies", null, null, 405),
                of("unknown route", "GET", "/v1/nothing", null, null, 404));
        BadInput.assertAllRefusedUnchanged(table, "message", BadInputSweepTest::state);
    }
}
