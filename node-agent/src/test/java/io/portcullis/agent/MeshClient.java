package io.portcullis.agent;

import io.portcullis.testsupport.mesh.ControlPlaneDouble.MeshRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: what the other services would write, and what the agent wrote. */
public final class MeshClient {

    private MeshClient() {}

    public static void send(List<MeshRecord> records) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                KafkaBrokerResource.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (MeshRecord r : records) {
                p.send(new ProducerRecord<>(r.topic(), r.key(), r.value())).get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The latest record under {@code key} on the whole topic as it is now (empty if the key never
     * appears); {@code Optional.of(record)} with a null value is a tombstone.
     */
    public static Optional<ConsumerRecord<String, byte[]>> latest(String topic, String key) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KafkaBrokerResource.bootstrapServers());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            ConsumerRecord<String, byte[]> found = null;
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        found = r;
                    }
                }
            }
            return Optional.ofNullable(found);
        }
    }
}
