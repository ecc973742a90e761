package io.portcullis.mesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Provisioning and replay against a real broker. */
class TopicKafkaTest {

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getAdvertisedListeners()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void createsMissingTopicsWithTheirSettingsAndRealignsChangedOnes() throws Exception {
        TopicSpec spec = new TopicSpec("prov.state", 2, (short) 1, Map.of("cleanup.policy", "compact"));
        TopicProvisioner provisioner = new TopicProvisioner(admin, Duration.ofSeconds(20));
        provisioner.provision(List.of(spec));

        assertThat(admin.describeTopics(List.of("prov.state")).allTopicNames().get().get("prov.state").partitions())
                .hasSize(2);
        assertThat(cleanupPolicy("prov.state")).isEqualTo("compact");

        // Someone changed it by hand: the next start puts it back, and provisioning twice is harmless.
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "prov.state");
        admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(
                new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET)))).all().get();
        provisioner.provision(List.of(spec));
        provisioner.provision(List.of(spec));
        assertThat(cleanupPolicy("prov.state")).isEqualTo("compact");
    }

    @Test
    void replayCatchesUpWithExistingRecordsThenFollowsNewOnes() throws Exception {
        new TopicProvisioner(admin, Duration.ofSeconds(20))
                .provision(List.of(new TopicSpec("replay.t", 3, (short) 1, Map.of("cleanup.policy", "compact"))));
        try (var producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("replay.t", "k" + i, ("v" + i).getBytes())).get();
            }
        }
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, Object> props = Map.of("bootstrap.servers", broker.getAdvertisedListeners());
        try (TopicReplay replay = new TopicReplay(props, "replay.t", r -> seen.add(r.key())).start()) {
            replay.caughtUp().get(30, TimeUnit.SECONDS);
            assertThat(seen).hasSize(10);
            assertThat(replay.isCaughtUp()).isTrue();

            try (var producer = producer()) {
                producer.send(new ProducerRecord<>("replay.t", "late", new byte[0])).get();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!seen.contains("late") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(seen).contains("late");
        }
    }

    @Test
    void replayOfAnEmptyTopicIsCaughtUpAtOnceAndAFailingHandlerStopsIt() throws Exception {
        new TopicProvisioner(admin, Duration.ofSeconds(20))
                .provision(List.of(new TopicSpec("replay.empty", 1, (short) 1, Map.of())));
        Map<String, Object> props = Map.of("bootstrap.servers", broker.getAdvertisedListeners());
        try (TopicReplay replay = new TopicReplay(props, "replay.empty", r -> {
            throw new IllegalStateException("cannot decode " + r.key());
        }).start()) {
            replay.caughtUp().get(30, TimeUnit.SECONDS);
            try (var producer = producer()) {
                producer.send(new ProducerRecord<>("replay.empty", "bad", new byte[0])).get();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (replay.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(replay.failure()).hasMessage("cannot decode bad");
        }
    }

    private static String cleanupPolicy(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get().get(r).get("cleanup.policy").value();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getAdvertisedListeners()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
