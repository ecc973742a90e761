package io.portcullis.api.store;

import static io.portcullis.api.Policies.cnp;
import static io.portcullis.api.Policies.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.api.KafkaBrokerResource;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.mesh.runtime.TopicReplay;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Kafka is the store: what is acknowledged is on the topic, and the topic alone rebuilds the state. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PolicyTopicTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void acknowledgedChangesAreCommittedOnTheTopic() {
        String ns = unique("ns");
        int applied = given().contentType("application/yaml").body(bytes(cnp(ns, "a", "a") + "---\n" + cnp(ns, "b", "b")))
                .post("/v1/policies").then().statusCode(200).extract().path("revision");
        int deleted = given().delete("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/a").then().statusCode(200)
                .extract().path("revision");

        // Right after the answer, without waiting: the broker has acknowledged (committed) everything.
        List<ConsumerRecord<String, byte[]>> records = readAll().stream()
                .filter(r -> r.key().startsWith(ns + "/")).toList();
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(ns + "/a", ns + "/b", ns + "/a");
        List<PolicyEvent> events = records.stream()
                .map(r -> MeshJson.decode(r.value(), PolicyEvent.class, PolicyEvent.SCHEMA_VERSION)).toList();
        assertThat(events.get(0)).isInstanceOfSatisfying(PolicyEvent.Applied.class, a -> {
            assertThat(a.revision()).isEqualTo(applied);
            assertThat(a.policy().metadata().resourceVersion()).isEqualTo(Integer.toString(applied));
            assertThat(a.policy().metadata().uid()).isNotBlank();
            assertThat(a.policy().status()).isNull();
        });
        assertThat(events.get(1).revision()).isEqualTo(applied);
        assertThat(events.get(2)).isEqualTo(PolicyEvent.Deleted.of(deleted, ns + "/a"));
    }

    @Test
    void aRestartRebuildsTheSameStateAndContinuesTheRevisions() throws Exception {
        String ns = unique("ns");
        given().contentType("application/yaml").body(bytes(cnp(ns, "x", "x"))).post("/v1/policies").then().statusCode(200);
        given().contentType("application/yaml").body(bytes(cnp(ns, "y", "y"))).post("/v1/policies").then().statusCode(200);
        given().delete("/v1/namespaces/" + ns + "/ciliumnetworkpolicies/x").then().statusCode(200);

        // What a freshly started instance does before it reports ready, against the same broker and topic.
        PolicyState rebuilt = new PolicyState();
        try (TopicReplay replay = new TopicReplay(Map.of("bootstrap.servers", bootstrap), "portcullis.policies",
                r -> rebuilt.apply(MeshJson.decode(r.value(), PolicyEvent.class, PolicyEvent.SCHEMA_VERSION))).start()) {
            replay.caughtUp().get(30, TimeUnit.SECONDS);
        }

        var served = given().get("/v1/policies").then().statusCode(200).extract().jsonPath();
        Map<String, String> servedMeta = new TreeMap<>();
        List<Map<String, Object>> items = served.getList("items");
        for (Map<String, Object> item : items) {
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) item.get("metadata");
            String key = meta.get("namespace") == null ? (String) meta.get("name") : meta.get("namespace") + "/" + meta.get("name");
            servedMeta.put(key, meta.get("resourceVersion") + " " + meta.get("uid") + " " + meta.get("generation"));
        }
        Map<String, String> rebuiltMeta = new TreeMap<>();
        rebuilt.list().forEach(s -> rebuiltMeta.put(s.policy().key(), s.policy().metadata().resourceVersion()
                + " " + s.policy().metadata().uid() + " " + s.policy().metadata().generation()));
        assertThat(rebuiltMeta).isEqualTo(servedMeta).containsKey(ns + "/y").doesNotContainKey(ns + "/x");

        long servedRevision = Long.parseLong(served.getString("metadata.resourceVersion"));
        assertThat(rebuilt.revision()).isEqualTo(servedRevision);
        int next = given().contentType("application/yaml").body(bytes(cnp(ns, "z", "z"))).post("/v1/policies")
                .then().statusCode(200).extract().path("revision");
        assertThat((long) next).isEqualTo(rebuilt.nextRevision());
    }

    @Test
    void theTopicWasCreatedCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (String topic : List.of("portcullis.policies", "portcullis.realized")) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get("cleanup.policy").value())
                        .isEqualTo("compact");
            }
        }
    }

    private List<ConsumerRecord<String, byte[]>> readAll() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor("portcullis.policies").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
