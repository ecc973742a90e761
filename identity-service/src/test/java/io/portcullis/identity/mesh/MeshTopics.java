package io.portcullis.identity.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.Versioned;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.runtime.TestBroker;
import io.portcullis.mesh.runtime.TopicProvisioner;
import io.portcullis.mesh.runtime.TopicSpec;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test helper: plain clients that write endpoints and read the service's topics as compacted maps. */
public final class MeshTopics implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public MeshTopics(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** A real broker with identity-service's topics (compacted; the owners topic with {@code slices} partitions). */
    public static EmbeddedKafkaBroker startBroker(int slices) {
        EmbeddedKafkaBroker broker = TestBroker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getAdvertisedListeners()))) {
            Map<String, String> compact = Map.of("cleanup.policy", "compact");
            new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(List.of(
                    new TopicSpec("portcullis.endpoints", 3, (short) 1, compact),
                    new TopicSpec("portcullis.identities", 3, (short) 1, compact),
                    new TopicSpec("portcullis.endpoint-identities", 3, (short) 1, compact),
                    new TopicSpec("portcullis.ipcache", 3, (short) 1, compact),
                    new TopicSpec("portcullis.policies", 1, (short) 1, compact),
                    new TopicSpec("portcullis.identity-watermarks", 1, (short) 1, compact),
                    new TopicSpec("portcullis.identity-owners", slices, (short) 1, compact)));
        }
        return broker;
    }

    public void endpoint(EndpointRecord r) {
        send("portcullis.endpoints", r.key(), r);
    }

    public void removeEndpoint(String key) {
        send("portcullis.endpoints", key, null);
    }

    public void send(String topic, String key, Versioned value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value == null ? null : MeshJson.encode(value))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole topic as it is now (committed records only), key → latest value; tombstones remove. */
    public <T extends Versioned> Map<String, T> read(String topic, Class<T> type) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, T> out = new TreeMap<>();
        try (var c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.value() == null) {
                        out.remove(r.key());
                    } else {
                        out.put(r.key(), MeshJson.decode(r.value(), type, Integer.MAX_VALUE));
                    }
                }
            }
        }
        return out;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("timed out waiting for " + what).isTrue();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
