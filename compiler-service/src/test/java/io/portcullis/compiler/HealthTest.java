package io.portcullis.compiler;

import static io.restassured.RestAssured.given;

import io.portcullis.compiler.mesh.KafkaBrokerResource;
import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@Order(0)
class HealthTest implements HealthProbesContract {

    /** Readiness follows the replay of the topics, which runs after start: give it its moment. */
    @BeforeEach
    void awaitReplay() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
