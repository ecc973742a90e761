package io.portcullis.api.rest;

import static io.portcullis.api.Policies.ccnp;
import static io.portcullis.api.Policies.cnp;
import static io.portcullis.api.Policies.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.portcullis.api.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Contract item 1 over HTTP, with the real Kafka-backed store. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PoliciesApiTest {

    static ValidatableResponse post(String contentType, String body) {
        return given().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/policies").then();
    }

    static ValidatableResponse put(String path, String body) {
        return given().contentType("application/yaml").body(body.getBytes(StandardCharsets.UTF_8))
                .when().put(path).then();
    }

    static long listRevision() {
        return Long.parseLong(given().get("/v1/policies").then().statusCode(200)
                .extract().path("metadata.resourceVersion"));
    }

    static void isStatus(ValidatableResponse r, int code, String reason) {
        r.statusCode(code).contentType("application/json")
                .body("kind", equalTo("Status")).body("apiVersion", equalTo("v1"))
                .body("status", equalTo("Failure")).body("reason", equalTo(reason)).body("code", equalTo(code))
                .body("message", not(emptyString()));
    }

    @Test
    void cnpRoundTrip() {
        String ns = unique("ns");
        String path = "/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web";
        int revision = post("application/yaml", cnp(ns, "web", "web")).statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].kind", equalTo("CiliumNetworkPolicy"))
                .body("items[0].metadata.uid", notNullValue())
                .body("items[0].metadata.generation", equalTo(1))
                .body("items[0].metadata.creationTimestamp", notNullValue())
                .body("items[0].status.conditions[0].type", equalTo("Valid"))
                .body("items[0].status.conditions[0].status", equalTo("True"))
                .extract().path("revision");
        given().get(path).then().statusCode(200)
                .body("metadata.resourceVersion", equalTo(Integer.toString(revision)))
                .body("spec.endpointSelector.matchLabels.app", equalTo("web"))
                .body("spec.ingress[0].toPorts[0].ports[0].port", equalTo("80"))
                .body("status.realized", notNullValue());
        given().get("/v1/policies").then().statusCode(200)
                .body("kind", equalTo("List")).body("apiVersion", equalTo("v1"))
                .body("items.metadata.name", hasItem("web"));
        given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies").then().statusCode(200)
                .body("items", hasSize(1));

        String uid = given().get(path).then().extract().path("metadata.uid");
        String updated = cnp(ns, "web", "db").replace("  namespace: " + ns,
                "  namespace: " + ns + "\n  resourceVersion: \"" + revision + "\"");
        String rv = put(path, updated).statusCode(200)
                .body("metadata.generation", equalTo(2))
                .body("metadata.uid", equalTo(uid))
                .body("spec.endpointSelector.matchLabels.app", equalTo("db"))
                .extract().path("metadata.resourceVersion");
        assertGreater(Long.parseLong(rv), revision);

        // The same body again: its resourceVersion is stale now.
        isStatus(put(path, updated), 409, "Conflict");
        given().get(path).then().body("metadata.resourceVersion", equalTo(rv));

        int deleted = given().delete(path).then().statusCode(200).extract().path("revision");
        assertGreater(deleted, Long.parseLong(rv));
        isStatus(given().get(path).then(), 404, "NotFound");
        isStatus(given().delete(path).then(), 404, "NotFound");
    }

    @Test
    void ccnpRoundTripInJson() {
        String name = unique("ccnp");
        String json = """
                {"apiVersion": "cilium.io/v2", "kind": "CiliumClusterwideNetworkPolicy",
                 "metadata": {"name": "%s"},
                 "spec": {"endpointSelector": {"matchLabels": {"app": "x"}}, "egress": [{"toEntities": ["world"]}]}}
                """.formatted(name);
        post("application/json", json).statusCode(200).body("items[0].metadata.namespace", nullValue());
        String path = "/v1/ciliumclusterwidenetworkpolicies/" + name;
        given().get(path).then().statusCode(200).body("spec.egress[0].toEntities[0]", equalTo("world"));
        given().get("/v1/ciliumclusterwidenetworkpolicies").then().body("items.metadata.name", hasItem(name));
        put(path, ccnp(name, "y")).statusCode(200).body("metadata.generation", equalTo(2));
        given().delete(path).then().statusCode(200).body("revision", notNullValue());
        isStatus(given().get(path).then(), 404, "NotFound");
    }

    @Test
    void documentsAndListsAreOneRevision() {
        String ns = unique("ns");
        post("application/yaml", cnp(ns, "a", "a") + "---\n" + cnp(ns, "b", "b") + "---\n" + ccnp(unique("c"), "c"))
                .statusCode(200).body("items", hasSize(3))
                .body("items.metadata.resourceVersion.toSet()", hasSize(1));

        String list = """
                apiVersion: v1
                kind: List
                items:
                - %s
                - %s
                """.formatted(indent(cnp(ns, "c", "c")), indent(cnp(ns, "d", "d")));
        int revision = post("application/yaml", list).statusCode(200).extract().path("revision");
        given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies").then()
                .body("items.metadata.name", hasItems("a", "b", "c", "d"));
        given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/d").then()
                .body("metadata.resourceVersion", equalTo(Integer.toString(revision)));
    }

    @Test
    void oneInvalidDocumentRejectsTheWholeRequest() {
        String ns = unique("ns");
        long before = listRevision();
        String bad = cnp(ns, "bad", "b").replace("port: \"80\"", "port: \"70000\"").replace("app: b}", "app: b}\n    bogus: 1}");
        ValidatableResponse r = post("application/yaml", cnp(ns, "good", "a") + "---\n" + bad);
        isStatus(r, 422, "Invalid");
        r.body("details.causes", not(hasSize(0)))
                .body("details.causes.field", everyItem(startsWith("items[1].")))
                .body("details.causes.field", hasItem("items[1].spec.ingress[0].toPorts[0].ports[0].port"))
                .body("details.causes.reason", everyItem(notNullValue()))
                .body("details.causes.message", everyItem(not(emptyString())));
        isStatus(given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/good").then(), 404, "NotFound");
        assertThat(listRevision()).isEqualTo(before);
    }

    @Test
    void aSingleInvalidPolicyHasFieldPathsRelativeToIt() {
        ValidatableResponse r = post("application/yaml", """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: Bad_Name}
                spec:
                  endpointSelector: {matchLabels: {app: a}}
                  ingress:
                  - toPorts:
                    - ports: [{port: "80", protocol: UDP}]
                      rules:
                        http: [{method: GET}]
                """);
        isStatus(r, 422, "Invalid");
        r.body("details.kind", equalTo("CiliumNetworkPolicy")).body("details.name", equalTo("Bad_Name"))
                .body("details.causes.field", hasItem("metadata.name"))
                .body("details.causes.field", everyItem(notNullValue()));
    }

    @Test
    void wrongTypesAndNonObjectsAreInvalid() {
        isStatus(post("application/yaml", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec: 5\n"),
                422, "Invalid");
        isStatus(post("application/json", "[1, 2]"), 422, "Invalid");
        isStatus(post("application/yaml", "just a string"), 422, "Invalid");
        isStatus(post("application/yaml", ""), 422, "Invalid");
        isStatus(post("application/yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"), 422, "Invalid");
    }

    @Test
    void theSamePolicyTwiceInOneRequestIsInvalid() {
        String ns = unique("ns");
        post("application/yaml", cnp(ns, "a", "a") + "---\n" + cnp(ns, "a", "b")).statusCode(422)
                .body("details.causes[0].field", equalTo("items[1].metadata.name"))
                .body("details.causes[0].reason", equalTo("FieldValueDuplicate"));
    }

    @Test
    void reapplyingIdenticalContentCreatesNoRevision() {
        String ns = unique("ns");
        int first = post("application/yaml", cnp(ns, "same", "a")).statusCode(200).extract().path("revision");
        long latest = listRevision();
        // What a GET returned (JSON, server fields and status included) is still the same content.
        String stored = given().get("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/same").then().extract().asString();
        post("application/json", stored).statusCode(200).body("revision", equalTo(first));
        post("application/yaml", cnp(ns, "same", "a")).statusCode(200).body("revision", equalTo(first))
                .body("items[0].metadata.resourceVersion", equalTo(Integer.toString(first)));
        assertThat(listRevision()).isEqualTo(latest);
    }

    @Test
    void unparsableBodiesAre400() {
        ValidatableResponse r = post("application/yaml", "metadata: {name: [unclosed\n");
        isStatus(r, 400, "BadRequest");
        r.body("details.causes[0].field", equalTo("")).body("message", containsString("line"));
        isStatus(post("application/json", "{\"kind\": "), 400, "BadRequest");
        isStatus(given().contentType("application/yaml").body(new byte[] {(byte) 0xff, (byte) 0xfe, 'a'})
                .post("/v1/policies").then(), 400, "BadRequest");
    }

    @Test
    void oversizeBodiesAre413() {
        String huge = "# " + "x".repeat(1024 * 1024) + "\n" + cnp("default", "huge", "a"); // just over 1 MiB
        isStatus(post("application/yaml", huge), 413, "RequestEntityTooLarge");
        isStatus(given().get("/v1/namespaces/default/ciliumnetworkpolicies/huge").then(), 404, "NotFound");
    }

    @Test
    void otherContentTypesAre415() {
        isStatus(post("text/plain", cnp("default", "plain", "a")), 415, "UnsupportedMediaType");
        isStatus(given().contentType("application/xml").body("<a/>").put("/v1/ciliumclusterwidenetworkpolicies/x").then(),
                415, "UnsupportedMediaType");
    }

    @Test
    void aPutBodyMustMatchItsPath() {
        String ns = unique("ns");
        post("application/yaml", cnp(ns, "p", "a")).statusCode(200);
        String path = "/v1/namespaces/" + ns + "/ciliumnetworkpolicies/p";

        ValidatableResponse wrongName = put(path, cnp(ns, "other", "a"));
        isStatus(wrongName, 400, "BadRequest");
        wrongName.body("details.causes[0].field", equalTo("metadata.name"));
        put(path, cnp("elsewhere", "p", "a")).statusCode(400).body("details.causes[0].field", equalTo("metadata.namespace"));
        put("/v1/ciliumclusterwidenetworkpolicies/p", cnp(ns, "p", "a")).statusCode(400)
                .body("details.causes.field", hasItem("kind"));
        isStatus(put(path, cnp(ns, "p", "a") + "---\n" + cnp(ns, "p", "a")), 400, "BadRequest");
        isStatus(put(path, "{{{"), 400, "BadRequest");
        isStatus(put(path, cnp(ns, "p", "a").replace("\"80\"", "\"70000\"")), 422, "Invalid");

        // A body without namespace takes the URL's, as in Kubernetes.
        put(path, cnp(ns, "p", "b").replace("  namespace: " + ns + "\n", "")).statusCode(200)
                .body("metadata.namespace", equalTo(ns)).body("spec.endpointSelector.matchLabels.app", equalTo("b"));
        isStatus(put("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/missing", cnp(ns, "missing", "a")), 404, "NotFound");
        given().get(path).then().body("spec.endpointSelector.matchLabels.app", equalTo("b"));
    }

    @Test
    void unknownRoutesAndMethodsAnswerStatus() {
        isStatus(given().get("/v1/nothing").then(), 404, "NotFound");
        isStatus(given().delete("/v1/policies").then(), 405, "MethodNotAllowed");
    }

    @Test
    void openApiSwaggerHealthAndMetricsAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/v1/policies"))
                .body("paths", hasKey("/v1/namespaces/{namespace}/ciliumnetworkpolicies/{name}"))
                .body("components.schemas", hasKey("NodeRealized"))
                .body("components.schemas.Status.properties", hasKey("details"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("policy-state"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        post("text/plain", "x").statusCode(415);
        post("application/yaml", cnp(unique("ns"), "m", "a")).statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_policy_applies_total"))
                .body(containsString("portcullis_policy_deletes_total"))
                .body(containsString("portcullis_policy_rejects_total{code=\"415\"}"))
                .body(containsString("portcullis_policy_revision"));
    }

    private static void assertGreater(long later, long earlier) {
        assertThat(later).isGreaterThan(earlier);
    }

    private static String indent(String doc) {
        return doc.strip().replace("\n", "\n  ");
    }
}
