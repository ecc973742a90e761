package io.portcullis.kafkaproxy;

import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_HQ;

import io.portcullis.mesh.runtime.TestBroker;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Producer throughput through the proxy vs straight to the broker: the loop of
 * {@code kafka-producer-perf-test} (kafka-tools does not resolve here), same producer settings, same
 * broker, same topic, runs alternating so machine noise hits both. The proxy enforces the seed policy
 * on the real engine for every request and records every flow. Prints figures and the ratio; asserts
 * nothing about speed (run only with -Pbench: {@code bench/run-kafka-proxy.sh}).
 *
 * <p>System properties: {@code bench.records} (default 300000), {@code bench.recordSize} (512),
 * {@code bench.rounds} (5).
 */
@Tag("bench")
class KafkaProxyProducerBench {

    @Test
    void producerThroughputThroughTheProxyVersusDirect() throws Exception {
        int records = Integer.getInteger("bench.records", 300_000);
        int size = Integer.getInteger("bench.recordSize", 512);
        int rounds = Integer.getInteger("bench.rounds", 5);
        EmbeddedKafkaBroker broker = TestBroker.start();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getAdvertisedListeners()))) {
                admin.createTopics(List.of(new NewTopic("deathstar-plans", 1, (short) 1))).all().get();
            }
            AtomicLong flows = new AtomicLong();
            SeedKafkaPolicy policy = new SeedKafkaPolicy();
            KafkaProxy proxy = new KafkaProxy(
                    List.of(new BrokerRoute(new java.net.InetSocketAddress("127.50.2.1", 0), ProxyFixture.brokerAddress(broker.getAdvertisedListeners()))),
                    ProxyFixture.fixed(EMPIRE_HQ), policy, f -> flows.incrementAndGet(), 1);
            try {
                var listen = proxy.start().get(0).listen();
                String viaProxy = listen.getHostString() + ":" + listen.getPort();
                String direct = broker.getAdvertisedListeners();
                System.out.printf("kafka-proxy bench: %d records x %d B per run, %d rounds, load %s%n", records, size, rounds,
                        loadAverage());
                System.out.printf("kafka-proxy bench: policy decision (seed policy, real engine) %.1f us each%n", decideMicros(policy));
                run(direct, records / 5, size);
                run(viaProxy, records / 5, size);
                List<Double> d = new ArrayList<>();
                List<Double> p = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    d.add(run(direct, records, size));
                    p.add(run(viaProxy, records, size));
                    System.out.printf("  round %d: direct %,.0f rec/s (%.1f MB/s), proxy %,.0f rec/s (%.1f MB/s), ratio %.3f%n", i + 1,
                            d.get(i), d.get(i) * size / 1e6, p.get(i), p.get(i) * size / 1e6, p.get(i) / d.get(i));
                }
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    ratios.add(p.get(i) / d.get(i));
                }
                System.out.printf("kafka-proxy bench: median direct %,.0f rec/s, proxy %,.0f rec/s; RATIO proxy/direct: of medians %.3f, median of rounds %.3f (target >= 0.90); %,d flow records%n",
                        median(d), median(p), median(p) / median(d), median(ratios), flows.get());
            } finally {
                proxy.close();
            }
        } finally {
            broker.close();
        }
    }

    /** Records per second of one producer sending {@code n} records and flushing. */
    private static double run(String bootstrap, int n, int size) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.idempotence", false); // Cilium's produce role has no InitProducerId
        p.put("enable.metrics.push", false);
        p.put("acks", "1");
        p.put("linger.ms", 5);
        p.put("batch.size", 64 * 1024);
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.partitionsFor("deathstar-plans"); // metadata outside the timed part
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("deathstar-plans", value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            long nanos = System.nanoTime() - start;
            if (failure.get() != null) {
                throw failure.get();
            }
            return n / (nanos / 1e9);
        }
    }

    private static double decideMicros(SeedKafkaPolicy policy) {
        var source = new io.portcullis.kafkaproxy.spi.Source(new java.net.InetSocketAddress("127.0.0.1", 1), EMPIRE_HQ);
        var request = new io.portcullis.kafkaproxy.spi.KafkaRequestInfo(0, "Produce", (short) 13, "bench", List.of("deathstar-plans"));
        var dest = new java.net.InetSocketAddress("127.0.0.1", 9092);
        for (int i = 0; i < 2_000; i++) {
            policy.decide(source, dest, request);
        }
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            policy.decide(source, dest, request);
        }
        return (System.nanoTime() - start) / 10_000 / 1e3;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
