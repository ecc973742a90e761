package io.portcullis.agent.proxy.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.portcullis.agent.AgentDriver;
import io.portcullis.agent.ControlPlaneDouble;
import io.portcullis.agent.KafkaBrokerResource;
import io.portcullis.agent.MeshClient;
import io.portcullis.agent.flow.FlowStream;
import io.portcullis.agent.proxy.http.ProxyFixture;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The Kafka proxy wired into the agent, on real sockets with real Kafka clients: a {@code kafka-broker}
 * endpoint registered with a {@code kafka://} backend (the test's real broker) gets a proxy on its address,
 * which enforces the seed Kafka policy (seed-kafka-empire.yaml, unchanged) with the realized maps the
 * control-plane double publishes, and reports every decision in {@code GET /v1/flows}.
 *
 * <p>Kafka clients cannot bind a source address, so they connect from 127.0.0.1 (the kernel's source for
 * loopback destinations): that address is registered as empire-hq, then as empire-analyst, one after the
 * other, and released (endpoint and ipcache entry) at the end.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class KafkaProxyTest {

    private static final String BROKER_IP = "127.60.1.1";
    private static final int PORT = 9092;
    private static final String CLIENT_IP = "127.0.0.1";
    private static final String PLANS = "deathstar-plans";
    private static final String REBEL = "rebel-chatter";

    /** A second identity for reading: Cilium's consume role on the plans (not in the seed case). */
    private static final String ANALYST_POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: analyst-reads-plans, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: kafka}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: empire-analyst}}]
                toPorts:
                - ports: [{port: "9092", protocol: TCP}]
                  rules:
                    kafka:
                    - {role: consume, topic: deathstar-plans}
            """;

    @Test
    void seedPolicyOnRealClientsThroughTheAgentsKafkaProxy() throws Exception {
        AgentDriver.awaitReady();
        String broker = KafkaBrokerResource.bootstrapServers().replaceFirst("^[A-Za-z_]+://", "");
        createTopics(broker);
        // Bad Kafka backends are refused like bad HTTP ones, and change nothing.
        given().contentType(ContentType.JSON).body(Map.of("name", "bad-kafka", "ips", List.of("127.60.1.9"),
                        "backends", Map.of("9092", "kafka://no-port")))
                .post("/v1/endpoints").then().statusCode(422).body("causes.field", hasItem("backends.9092"));

        ProxyFixture.register(ProxyFixture.endpoint("kafka-broker", "kafka", BROKER_IP),
                Map.of(Integer.toString(PORT), KafkaListener.PREFIX + broker));
        ProxyFixture.register(ProxyFixture.endpoint("empire-hq", "empire-hq", CLIENT_IP), null);
        String seed = ControlPlaneDouble.loadCase("seed-kafka-empire").policies();
        ProxyFixture.apply(seed + "\n---\n" + ANALYST_POLICY, Set.of(), "default/kafka-broker", "default/empire-hq");
        Eventually.holds(() -> given().get("/v1/endpoints/default/kafka-broker").then().statusCode(200)
                .body("backends.9092", equalTo(KafkaListener.PREFIX + broker)));
        String bootstrap = BROKER_IP + ":" + PORT;
        try (FlowStream flows = FlowStream.open("to=default/kafka-broker&protocol=kafka&origin=kafka-proxy")) {
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                assertThat(producer.send(new ProducerRecord<>(PLANS, "plan", "exhaust port")).get().topic())
                        .isEqualTo(PLANS);
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(REBEL, "x", "we have the plans")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
                // The connection stays usable after the refusal.
                assertThat(producer.send(new ProducerRecord<>(PLANS, "plan", "again")).get().topic()).isEqualTo(PLANS);
            }
            FlowRecord allowed = await(flows, f -> f.kafka().apiKey() == ApiKeys.PRODUCE.id
                    && f.kafka().topics().equals(List.of(PLANS)) && f.verdict() == FlowVerdict.ALLOWED);
            assertThat(allowed.source()).isEqualTo(new FlowRecord.Peer("default/empire-hq",
                    ProxyFixture.PLANE.identityOf("default/empire-hq"), CLIENT_IP));
            assertThat(allowed.destination().endpoint()).isEqualTo("default/kafka-broker");
            assertThat(allowed.destination().ip()).isEqualTo(BROKER_IP);
            assertThat(allowed.port()).isEqualTo(PORT);
            assertThat(allowed.policies()).containsExactly("default/rule1");
            FlowRecord denied = await(flows, f -> f.kafka().topics().contains(REBEL) && f.verdict() == FlowVerdict.DENIED);
            assertThat(denied.kafka().apiKey()).isIn((int) ApiKeys.PRODUCE.id, (int) ApiKeys.METADATA.id);
            assertThat(denied.policies()).containsExactly("default/rule1");

            // rule1 in audit mode: what it denies goes through and is recorded as AUDIT.
            ProxyFixture.apply(seed + "\n---\n" + ANALYST_POLICY, Set.of("default/rule1"), "default/kafka-broker");
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                assertThat(producer.send(new ProducerRecord<>(REBEL, "x", "audited")).get().topic()).isEqualTo(REBEL);
            }
            FlowRecord audited = await(flows, f -> f.kafka().apiKey() == ApiKeys.PRODUCE.id
                    && f.kafka().topics().equals(List.of(REBEL)) && f.verdict() == FlowVerdict.AUDIT);
            assertThat(audited.policies()).containsExactly("default/rule1");
        }

        // The same address as a consume-only identity reads the plans with a consumer group.
        given().delete("/v1/endpoints/default/empire-hq").then().statusCode(204);
        ProxyFixture.register(ProxyFixture.endpoint("empire-analyst", "empire-analyst", CLIENT_IP), null);
        ProxyFixture.apply(seed + "\n---\n" + ANALYST_POLICY, Set.of(), "default/kafka-broker", "default/empire-analyst");
        try (FlowStream flows = FlowStream.open("from=default/empire-analyst&protocol=kafka");
                KafkaConsumer<String, String> consumer = consumer(bootstrap, "analysts")) {
            consumer.subscribe(List.of(PLANS));
            List<String> read = new ArrayList<>();
            for (int i = 0; i < 50 && read.size() < 2; i++) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
            }
            assertThat(read).containsExactly("exhaust port", "again");
            FlowRecord fetch = await(flows, f -> f.kafka().apiKey() == ApiKeys.FETCH.id);
            assertThat(fetch.verdict()).isEqualTo(FlowVerdict.ALLOWED);
            assertThat(fetch.policies()).containsExactly("default/analyst-reads-plans");
            assertThat(fetch.kafka().topics()).containsExactly(PLANS);
            // ...and may not produce.
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(PLANS, "x", "forged")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        } finally {
            given().delete("/v1/endpoints/default/empire-analyst");
            given().delete("/v1/endpoints/default/empire-hq");
            // identity-service would drop the address; other tests see 127.0.0.1 as the world again.
            MeshClient.send(List.of(new ControlPlaneDouble.MeshRecord(ControlPlaneDouble.IPCACHE, CLIENT_IP + "/32", null)));
        }

        // Deregistering the broker endpoint closes its proxy.
        given().delete("/v1/endpoints/default/kafka-broker").then().statusCode(204);
        Eventually.holds(() -> assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(BROKER_IP, PORT), 1_000);
            }
        }).isInstanceOf(ConnectException.class));
    }

    private static FlowRecord await(FlowStream flows, Predicate<FlowRecord> match) {
        List<FlowRecord> seen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            FlowRecord f = flows.take(1).getFirst();
            assertThat(f.kafka()).as("Kafka detail").isNotNull();
            if (match.test(f)) {
                return f;
            }
            seen.add(f);
        }
        throw new AssertionError("no matching flow in " + seen);
    }

    private static void createTopics(String broker) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker))) {
            for (String t : List.of(PLANS, REBEL)) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Cilium's produce role predates idempotent producers and client telemetry: both off. */
    private static KafkaProducer<String, String> producer(String bootstrap) {
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

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("group.protocol", "classic");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.metrics.push", false);
        p.put("default.api.timeout.ms", 20_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
