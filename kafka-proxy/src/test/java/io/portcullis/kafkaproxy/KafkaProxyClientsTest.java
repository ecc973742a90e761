package io.portcullis.kafkaproxy;

import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_ADMIN;
import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_ANALYST;
import static io.portcullis.kafkaproxy.SeedKafkaPolicy.EMPIRE_HQ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.kafkaproxy.spi.KafkaDecision;
import io.portcullis.mesh.runtime.TestBroker;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Kafka 4.1 clients (KafkaProducer, KafkaConsumer, Admin; current protocol versions, flexible
 * and topic-id based) through the proxy to a real KRaft broker, under the seed policy on the real
 * engine. Clients cannot choose their source address, so each identity gets its own proxy.
 *
 * <p>Cilium's {@code produce}/{@code consume} roles predate idempotent producers (InitProducerId) and
 * client telemetry (KIP-714), so the clients turn those off, as they must under Cilium's proxy too.
 */
class KafkaProxyClientsTest {

    static final String PLANS = "deathstar-plans";
    static final String ANNOUNCE = "empire-announce";
    static final String REBEL = "rebel-chatter";

    static EmbeddedKafkaBroker broker;
    static SeedKafkaPolicy policy;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.getAdvertisedListeners()))) {
            admin.createTopics(Stream.of(PLANS, ANNOUNCE, REBEL).map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
        policy = new SeedKafkaPolicy();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static ProxyFixture proxyFor(String endpoint, String listenIp) throws InterruptedException {
        return new ProxyFixture(broker.getAdvertisedListeners(), listenIp, ProxyFixture.fixed(endpoint), policy);
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.idempotence", false);
        p.put("enable.metrics.push", false);
        p.put("acks", "all");
        p.put("max.block.ms", 20_000);
        p.put("delivery.timeout.ms", 20_000);
        p.put("request.timeout.ms", 10_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        if (group != null) {
            p.put("group.id", group);
            p.put("group.protocol", "classic");
        } else {
            p.put("enable.auto.commit", false);
        }
        p.put("auto.offset.reset", "earliest");
        p.put("enable.metrics.push", false);
        p.put("default.api.timeout.ms", 20_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads directly from the broker: what really arrived. */
    static List<String> valuesOnBroker(String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer(broker.getAdvertisedListeners(), "verify-" + System.nanoTime())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            for (int i = 0; i < 50 && c.position(tp) < end; i++) {
                c.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    @Test
    void empireHqProducesToDeathstarPlansAndIsRefusedElsewhere() throws Exception {
        try (ProxyFixture proxy = proxyFor(EMPIRE_HQ, "127.50.1.1");
                KafkaProducer<String, String> producer = producer(proxy.bootstrap())) {
            RecordMetadata ok = producer.send(new ProducerRecord<>(PLANS, "plan", "exhaust port")).get();
            assertThat(ok.topic()).isEqualTo(PLANS);

            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(REBEL, "x", "we have the plans")).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);

            // The same producer still works for the allowed topic after the refusal.
            assertThat(producer.send(new ProducerRecord<>(ANNOUNCE, "a", "all hail")).get().topic()).isEqualTo(ANNOUNCE);

            assertThat(proxy.flows).anySatisfy(f -> {
                assertThat(f.apiKey()).isEqualTo(ApiKeys.PRODUCE.id);
                assertThat(f.topics()).containsExactly(PLANS);
                assertThat(f.verdict()).isEqualTo(KafkaDecision.Outcome.ALLOWED);
                assertThat(f.policies()).anyMatch(p -> p.contains("rule1"));
            });
            assertThat(proxy.flows).anySatisfy(f -> {
                assertThat(f.topics()).contains(REBEL);
                assertThat(f.verdict()).isEqualTo(KafkaDecision.Outcome.DENIED);
            });
            assertThat(proxy.flows).noneMatch(f -> f.apiKey() == ApiKeys.PRODUCE.id && f.topics().contains(REBEL)
                    && f.verdict() == KafkaDecision.Outcome.ALLOWED);
        }
        assertThat(valuesOnBroker(PLANS)).contains("exhaust port");
        assertThat(valuesOnBroker(REBEL)).doesNotContain("we have the plans");
    }

    /** Cilium's produce role has no InitProducerId: a default (idempotent) Kafka 4 producer is refused, cleanly. */
    @Test
    void anIdempotentProducerIsRefusedUnderCiliumsProduceRole() throws Exception {
        try (ProxyFixture proxy = proxyFor(EMPIRE_HQ, "127.50.1.5")) {
            Map<String, Object> p = new HashMap<>();
            p.put("bootstrap.servers", proxy.bootstrap());
            p.put("enable.metrics.push", false);
            p.put("max.block.ms", 20_000);
            p.put("delivery.timeout.ms", 20_000);
            p.put("request.timeout.ms", 10_000);
            try (KafkaProducer<String, String> idempotent = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                assertThatThrownBy(() -> idempotent.send(new ProducerRecord<>(PLANS, "k", "v")).get())
                        .hasRootCauseInstanceOf(ClusterAuthorizationException.class);
            }
            assertThat(proxy.flows).anyMatch(f -> f.apiKey() == ApiKeys.INIT_PRODUCER_ID.id && f.verdict() == KafkaDecision.Outcome.DENIED);
        }
    }

    @Test
    void aConsumerAllowedByRoleConsumeReads() throws Exception {
        try (KafkaProducer<String, String> direct = producer(broker.getAdvertisedListeners())) {
            for (int i = 0; i < 5; i++) {
                direct.send(new ProducerRecord<>(PLANS, "k" + i, "analysis-" + i)).get();
            }
        }
        List<String> read = new ArrayList<>();
        try (ProxyFixture proxy = proxyFor(EMPIRE_ANALYST, "127.50.1.2");
                KafkaConsumer<String, String> consumer = consumer(proxy.bootstrap(), "analysts")) {
            consumer.subscribe(List.of(PLANS));
            for (int i = 0; i < 100 && read.stream().filter(v -> v.startsWith("analysis-")).count() < 5; i++) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
            }
            consumer.commitSync();
            assertThat(proxy.flows).anyMatch(f -> f.apiKey() == ApiKeys.FETCH.id && f.verdict() == KafkaDecision.Outcome.ALLOWED
                    && f.topics().equals(List.of(PLANS)));
            assertThat(proxy.flows).anyMatch(f -> f.apiKey() == ApiKeys.JOIN_GROUP.id && f.verdict() == KafkaDecision.Outcome.ALLOWED);
            assertThat(proxy.flows).anyMatch(f -> f.apiKey() == ApiKeys.OFFSET_COMMIT.id && f.verdict() == KafkaDecision.Outcome.ALLOWED);
        }
        assertThat(read).contains("analysis-0", "analysis-1", "analysis-2", "analysis-3", "analysis-4");
    }

    @Test
    void aProducerOnlyIdentityCannotConsume() throws Exception {
        TopicPartition tp = new TopicPartition(PLANS, 0);
        try (ProxyFixture proxy = proxyFor(EMPIRE_HQ, "127.50.1.3")) {
            // Without a group: ListOffsets/Fetch are refused per partition.
            try (KafkaConsumer<String, String> consumer = consumer(proxy.bootstrap(), null)) {
                consumer.assign(List.of(tp));
                assertThatThrownBy(() -> pollUntilFailure(consumer)).isInstanceOf(TopicAuthorizationException.class);
            }
            // With a group: FindCoordinator is refused with the group error.
            try (KafkaConsumer<String, String> consumer = consumer(proxy.bootstrap(), "hq-snoop")) {
                consumer.assign(List.of(tp));
                assertThatThrownBy(() -> pollUntilFailure(consumer)).isInstanceOf(GroupAuthorizationException.class);
            }
            assertThat(proxy.flows).anyMatch(f -> f.apiKey() == ApiKeys.FIND_COORDINATOR.id && f.verdict() == KafkaDecision.Outcome.DENIED);
        }
    }

    private static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        for (int i = 0; i < 100; i++) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    @Test
    void adminSeesTheProxyAsTheCluster() throws Exception {
        try (ProxyFixture proxy = proxyFor(EMPIRE_ADMIN, "127.50.1.4");
                Admin admin = Admin.create(Map.of("bootstrap.servers", proxy.bootstrap(), "enable.metrics.push", false))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get());
            assertThat(nodes).singleElement().satisfies(n -> {
                assertThat(n.host()).isEqualTo(proxy.listen.getHostString());
                assertThat(n.port()).isEqualTo(proxy.listen.getPort());
            });
            assertThat(admin.listTopics().names().get()).contains(PLANS, ANNOUNCE, REBEL);
            assertThat(proxy.flows).anyMatch(f -> f.apiKey() == ApiKeys.DESCRIBE_CLUSTER.id && f.verdict() == KafkaDecision.Outcome.ALLOWED);
        }
    }
}
