package io.portcullis.api.store;

import static io.portcullis.api.Policies.cnp;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.api.KafkaBrokerResource;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.mesh.runtime.TopicProvisioner;
import io.portcullis.mesh.runtime.TopicSpec;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.PolicyParser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The application starting on a topic with history, as after kill -9: it serves exactly the committed
 * state (an aborted transaction is invisible) and continues the revisions from the highest one.
 */
@QuarkusTest
@TestProfile(RestartTest.WithHistory.class)
class RestartTest {

    static final String TOPIC = "restart.policies";

    public static class WithHistory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Another topic than the default: the channel → topic mapping is configuration.
            return Map.of("mp.messaging.outgoing.policies.topic", TOPIC,
                    "portcullis.topics.\"" + TOPIC + "\".cleanup-policy", "compact");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SeededBroker.class));
        }
    }

    /** Writes the history a previous instance left: revisions 3 and 5 committed, 9 aborted. */
    public static class SeededBroker extends KafkaBrokerResource {
        @Override
        protected void seed(String bootstrapServers) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
                new TopicProvisioner(admin, Duration.ofSeconds(30))
                        .provision(List.of(new TopicSpec(TOPIC, 1, (short) 1, Map.of("cleanup.policy", "compact"))));
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers,
                    "transactional.id", "previous-instance"), new StringSerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                commit(producer, PolicyEvent.Applied.of(3, stored("a", 3)), PolicyEvent.Applied.of(3, stored("b", 3)));
                commit(producer, PolicyEvent.Deleted.of(5, "seed/b"));
                producer.beginTransaction();
                send(producer, PolicyEvent.Applied.of(9, stored("c", 9)));
                producer.flush();
                producer.abortTransaction();
            }
        }

        private static void commit(KafkaProducer<String, byte[]> producer, PolicyEvent... events) {
            producer.beginTransaction();
            for (PolicyEvent e : events) {
                send(producer, e);
            }
            producer.commitTransaction();
        }

        private static void send(KafkaProducer<String, byte[]> producer, PolicyEvent e) {
            producer.send(new ProducerRecord<>(TOPIC, e.key(), MeshJson.encode(e)));
        }

        private static CiliumPolicy stored(String name, long revision) {
            CiliumPolicy p = new PolicyParser().parseAndValidate(cnp("seed", name, name), "application/yaml").policies().getFirst();
            return p.withMetadata(p.metadata().withServerFields("uid-" + name, Long.toString(revision), 1L, "2026-01-01T00:00:00Z"));
        }
    }

    @Test
    void servesTheCommittedStateAndContinuesFromTheHighestRevision() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/v1/policies").then().statusCode(200)
                .body("metadata.resourceVersion", equalTo("5"))
                .body("items.metadata.name", contains("a"))
                .body("items[0].metadata.uid", equalTo("uid-a"))
                .body("items[0].metadata.resourceVersion", equalTo("3"));

        // Identical content: nothing new. New content: 6, not 10 (9 was aborted).
        post(cnp("seed", "a", "a")).statusCode(200).body("revision", equalTo(3));
        post(cnp("seed", "c", "c")).statusCode(200).body("revision", equalTo(6))
                .body("items[0].metadata.generation", equalTo(1));
        post(cnp("seed", "a", "changed")).statusCode(200).body("revision", equalTo(7))
                .body("items[0].metadata.uid", equalTo("uid-a"))
                .body("items[0].metadata.generation", equalTo(2));
    }

    private static io.restassured.response.ValidatableResponse post(String yaml) {
        return given().contentType("application/yaml").body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/v1/policies").then();
    }
}
