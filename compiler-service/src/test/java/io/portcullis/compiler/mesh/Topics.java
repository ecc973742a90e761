package io.portcullis.compiler.mesh;

import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain clients on the test broker: produce inputs as the other services would, read the output topic. */
final class Topics implements AutoCloseable {

    private final String bootstrap = System.getProperty(KafkaBrokerResource.BOOTSTRAP);
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
            new StringSerializer(), new ByteArraySerializer());

    /** Sends a message (null: tombstone) and waits for the broker. */
    void send(String topic, String key, Object message) {
        try {
            producer.send(new ProducerRecord<>(topic, key, message == null ? null : MeshJson.encode(message))).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every committed record of the output topic, in offset order (one partition). */
    List<ConsumerRecord<String, byte[]>> output() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(KafkaBrokerResource.OUTPUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    /** The latest value per key among records from {@code fromOffset} on (null value: tombstone). */
    static Map<String, Object> latest(List<ConsumerRecord<String, byte[]>> records, long fromOffset) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var r : records) {
            if (r.offset() >= fromOffset) {
                out.put(r.key(), decode(r));
            }
        }
        return out;
    }

    static Object decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        return NodeRevisionRecord.isKey(r.key())
                ? MeshJson.decode(r.value(), NodeRevisionRecord.class, NodeRevisionRecord.SCHEMA_VERSION)
                : MeshJson.decode(r.value(), EndpointPolicyRecord.class, EndpointPolicyRecord.SCHEMA_VERSION);
    }

    /** Waits until the output topic holds a record matching {@code done}; returns the whole topic then. */
    List<ConsumerRecord<String, byte[]>> awaitOutput(Predicate<ConsumerRecord<String, byte[]>> done, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<String, byte[]>> all = output();
            if (all.stream().anyMatch(done)) {
                return all;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    /** Waits for the watermark of {@code node} at {@code revision}. */
    List<ConsumerRecord<String, byte[]>> awaitWatermark(String node, long revision) {
        return awaitOutput(r -> r.key().equals(NodeRevisionRecord.key(node)) && decode(r) instanceof NodeRevisionRecord w
                && w.revision() == revision, "watermark " + node + " at " + revision);
    }

    @Override
    public void close() {
        producer.close();
    }
}
