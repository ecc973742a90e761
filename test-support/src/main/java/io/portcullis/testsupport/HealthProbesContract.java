package io.portcullis.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

/**
 * Every service answers its Kubernetes probes. A service's {@code @QuarkusTest} class implements this
 * interface to inherit the tests.
 */
public interface HealthProbesContract {

    @Test
    default void readyProbeAnswersUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    default void liveProbeAnswersUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
