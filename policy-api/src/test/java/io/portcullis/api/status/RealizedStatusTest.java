package io.portcullis.api.status;

import static io.portcullis.api.Policies.cnp;
import static io.portcullis.api.Policies.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.portcullis.testsupport.Eventually;
import io.portcullis.api.KafkaBrokerResource;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.realized.RealizedRecord;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** node-agents report through the realized topic; the policy status shows it per node. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RealizedStatusTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void statusShowsPerNodeTheLowestRealizedRevision() throws Exception {
        String ns = unique("ns");
        int revision = given().contentType("application/yaml").body(cnp(ns, "web", "web").getBytes(StandardCharsets.UTF_8))
                .post("/v1/policies").then().statusCode(200).extract().path("revision");
        String path = "/v1/namespaces/" + ns + "/ciliumnetworkpolicies/web";
        String fast = unique("node");
        String slow = unique("node");

        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            send(producer, RealizedRecord.of(fast, "a/one", revision));
            send(producer, RealizedRecord.of(fast, "a/two", revision + 1));
            send(producer, RealizedRecord.of(fast, "a/three", revision));
            send(producer, RealizedRecord.of(slow, "b/one", revision - 1));
            producer.flush();

            Eventually.holds(() -> given().get(path).then().statusCode(200)
                    .body("status.realized." + fast + ".revision", equalTo(revision))
                    .body("status.realized." + fast + ".endpoints", equalTo(3))
                    .body("status.realized." + fast + ".ready", equalTo(true))
                    .body("status.realized." + slow + ".revision", equalTo(revision - 1))
                    .body("status.realized." + slow + ".endpoints", equalTo(1))
                    .body("status.realized." + slow + ".ready", equalTo(false)));

            // The slow node catches up; then its endpoint goes away (a tombstone).
            send(producer, RealizedRecord.of(slow, "b/one", revision));
            Eventually.holds(() -> given().get(path).then().body("status.realized." + slow + ".ready", equalTo(true)));
            producer.send(new ProducerRecord<>("portcullis.realized", slow + "/b/one", null)).get();
            Eventually.holds(() -> given().get(path).then().body("status.realized", not(hasKey(slow))));
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, RealizedRecord r) throws Exception {
        producer.send(new ProducerRecord<>("portcullis.realized", r.node() + "/" + r.endpoint(), MeshJson.encode(r))).get();
    }
}
