package io.portcullis.fqdn;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.mesh.runtime.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

/**
 * A real in-JVM broker, and a node-agent double on a real loopback HTTP socket: node-agent itself cannot
 * run in this module's tests, so its await-ips call answers what the test sets ({@link #realized}) and
 * records the last request body.
 */
public class MeshDouble implements QuarkusTestResourceLifecycleManager {

    public static final AtomicBoolean realized = new AtomicBoolean(true);
    public static final AtomicReference<String> lastAwait = new AtomicReference<>();
    private static String bootstrap;
    private EmbeddedKafkaBroker broker;
    private HttpServer agent;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        bootstrap = broker.getAdvertisedListeners();
        try {
            agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        agent.createContext("/v1/endpoints/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            lastAwait.set(ex.getRequestURI().getPath() + " " + body);
            byte[] out = ("{\"realized\":" + realized.get() + ",\"identities\":{}}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        agent.start();
        return Map.of("kafka.bootstrap.servers", bootstrap,
                "portcullis.fqdn.node-agent.url-template", "http://127.0.0.1:" + agent.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (agent != null) {
            agent.stop(0);
        }
        if (broker != null) {
            broker.close();
        }
    }

    public static void send(String topic, String key, byte[] value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest record of every key on the topic (a tombstone as an empty Optional). */
    public static Map<String, Optional<byte[]>> latest(String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Optional<byte[]>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    out.put(r.key(), Optional.ofNullable(r.value()));
                }
            }
        }
        return out;
    }
}
