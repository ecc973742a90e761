package io.portcullis.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/endpoints/{ns}/{name}/await-ips}: bad input, unknown endpoint, the timeout bound. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AwaitIpsKafkaTest {

    @BeforeEach
    void ready() {
        AgentDriver.awaitReady();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "''|empty",
        "{|malformed JSON",
        "{\"ips\":[]}|at least one address",
        "{\"ips\":[\"1.2.3\"]}|ips[0]: not an IP address",
        "{\"ips\":[\"1.2.3.4\"],\"timeoutMs\":-1}|timeoutMs",
        "{\"ips\":[\"1.2.3.4\"],\"other\":1}|unknown field",
    })
    void badBodiesAre400(String body, String message) {
        given().contentType(ContentType.JSON).body(body).post("/v1/endpoints/default/whoever/await-ips")
                .then().statusCode(400).body("error", containsString(message));
    }

    @Test
    void unknownEndpointIs404() {
        given().contentType(ContentType.JSON).body("{\"ips\":[\"1.2.3.4\"]}").post("/v1/endpoints/default/nobody/await-ips")
                .then().statusCode(404).body("error", containsString("default/nobody"));
    }

    @Test
    void aWorldAddressIsNotRealizedAndTheAnswerComesAfterTheTimeout() {
        // an endpoint of its own: the other tests of this application register the seed cases' endpoints
        CaseEndpoint e = new CaseEndpoint("await-client", "default", Map.of("app", "await-client"), Map.of(), null,
                List.of("127.10.99.2"), Map.of());
        new AgentDriver().register(e).then().statusCode(201);
        long t0 = System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"ips\":[\"127.250.0.1\"],\"timeoutMs\":150}")
                .post("/v1/endpoints/" + e.key() + "/await-ips")
                .then().statusCode(200).body("realized", equalTo(false)).body("identities.'127.250.0.1'", equalTo(2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isGreaterThanOrEqualTo(150);
    }
}
