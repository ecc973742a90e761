package io.portcullis.dnsproxy;

import static io.portcullis.dnsproxy.support.DnsStackResource.SHIP;
import static io.portcullis.dnsproxy.support.DnsStackResource.dnsPort;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.dnsproxy.support.ControlPlane;
import io.portcullis.dnsproxy.support.Dig;
import io.portcullis.dnsproxy.support.DnsStackResource;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.fqdn.FqdnObservationRecord;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.testsupport.Eventually;
import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy end to end: real {@code dig} through it, rules replayed from a real broker (the seed's
 * {@code tofqdn-dns-visibility} case as the control plane publishes it), our own authoritative server as the
 * upstream, the node-agent stand-in for the hold.
 */
@QuarkusTest
@WithTestResource(DnsStackResource.class)
class DnsProxyEndToEndTest implements HealthProbesContract {

    @BeforeEach
    void rulesReplayed() {
        Eventually.holds(() -> given().get("/v1/dns-proxy/stats").then().statusCode(200)
                .body("rulesReplayed", org.hamcrest.Matchers.equalTo(true)));
        DnsStackResource.agent.realizeAfterMs = 0;
    }

    /** The seed's DNS checks on port 53 (the proxy serves one server port; 5353 is in RulesViewTest). */
    @Test
    void seedCaseDnsChecksThroughTheProxyWithDig() {
        ConformanceCase c = ControlPlane.loadCase("seed-tofqdn-dns-visibility");
        List<ConformanceCase.Check> checks = c.allSteps().getFirst().checksOrEmpty().stream()
                .filter(k -> k.dns() != null && k.port() == 53).toList();
        assertThat(checks).hasSize(7);
        for (ConformanceCase.Check k : checks) {
            Dig.Result r = k.protocol().equals("TCP")
                    ? Dig.query(SHIP, dnsPort, k.dns().qname(), "+tcp")
                    : Dig.query(SHIP, dnsPort, k.dns().qname());
            if (k.expect().equals("ALLOWED")) {
                assertThat(r.status()).as(k + "\n" + r.output()).isEqualTo("NOERROR");
                assertThat(r.answers()).as(k.toString()).isEqualTo(1);
                assertThat(r.output()).contains("127.200.4.");
            } else {
                assertThat(r.status()).as(k + "\n" + r.output()).isEqualTo("REFUSED");
                assertThat(r.output()).as("question echoed").contains("QUERY: 1,").contains("QUESTION SECTION");
            }
        }
    }

    @Test
    void theReplayedRulesAreWrittenToTheSnapshot() {
        java.nio.file.Path file = DnsStackResource.stateDir.resolve("rules-node-1.json");
        Eventually.holds(() -> assertThat(file).exists().content().contains("node-1/default/alliance-ship"));
    }

    @Test
    void aSourceThatIsNoEndpointIsRefused() {
        assertThat(Dig.query("127.0.0.1", dnsPort, "cilium.io").status()).isEqualTo("REFUSED");
    }

    @Test
    void learnedAnswersArePublishedWithTheCnameChainCollapsed() {
        assertThat(Dig.query(SHIP, dnsPort, "alias.cilium.io").status()).isEqualTo("NOERROR");
        assertThat(Dig.query(SHIP, dnsPort, "cilium.io").status()).isEqualTo("NOERROR");
        Eventually.holds(() -> {
            Map<String, FqdnObservationRecord> seen = observations();
            assertThat(seen).containsKeys("node-1/default/alliance-ship/alias.cilium.io",
                    "node-1/default/alliance-ship/cilium.io");
            assertThat(seen.get("node-1/default/alliance-ship/alias.cilium.io")).satisfies(o -> {
                assertThat(o.ips()).containsExactlyInAnyOrder("127.200.5.1", "127.200.5.2");
                assertThat(o.ttlSeconds()).isEqualTo(120); // the CNAME's TTL is the minimum
                assertThat(o.source()).isEqualTo("dns-proxy");
                assertThat(o.endpoint()).isEqualTo("default/alliance-ship");
            });
            assertThat(seen.get("node-1/default/alliance-ship/cilium.io").ips()).containsExactly("127.200.4.10");
        });
    }

    @Test
    void answersWithNewAddressesAreHeldUntilRealizedAndAtMostTheHoldTimeout() {
        var agent = DnsStackResource.agent;
        agent.realizeAfterMs = 30;
        DnsStackResource.upstream.put("held.cilium.io", "127.202.0.1");
        int before = agent.requests.size();
        long t0 = System.nanoTime();
        assertThat(Dig.query(SHIP, dnsPort, "held.cilium.io").status()).isEqualTo("NOERROR");
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(30);
        assertThat(agent.requests.subList(before, agent.requests.size())).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/endpoints/default/alliance-ship/await-ips");
            assertThat(r.ips()).containsExactly("127.202.0.1");
            assertThat(r.timeoutMs()).isEqualTo(100);
        });
        // Seen realized: not held again.
        assertThat(Dig.query(SHIP, dnsPort, "held.cilium.io").status()).isEqualTo("NOERROR");
        assertThat(agent.requests).hasSize(before + 1);

        // Never realized: released after the hold timeout, and counted.
        agent.realizeAfterMs = 10_000;
        DnsStackResource.upstream.put("late.cilium.io", "127.202.0.2");
        int timeouts = given().get("/v1/dns-proxy/stats").then().extract().path("holdTimeouts");
        t0 = System.nanoTime();
        assertThat(Dig.query(SHIP, dnsPort, "late.cilium.io").status()).isEqualTo("NOERROR");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(90L, 2_000L);
        int after = given().get("/v1/dns-proxy/stats").then().extract().path("holdTimeouts");
        assertThat(after).isEqualTo(timeouts + 1);
    }

    @Test
    void truncatedAnswersMakeTheClientRetryOverTcpOnAReusedConnection() {
        var upstream = DnsStackResource.upstream;
        Dig.Result udpOnly = Dig.query(SHIP, dnsPort, "big.cilium.io", "+noedns", "+ignore");
        assertThat(udpOnly.output()).contains(" tc"); // the flag as the upstream set it
        Dig.Result full = Dig.query(SHIP, dnsPort, "big.cilium.io", "+noedns");
        assertThat(full.status()).isEqualTo("NOERROR");
        assertThat(full.answers()).isEqualTo(60);
        int connections = upstream.tcpConnections.get();
        int queries = upstream.tcpQueries.get();
        for (int i = 0; i < 3; i++) {
            assertThat(Dig.query(SHIP, dnsPort, "sub.cilium.io", "+tcp").status()).isEqualTo("NOERROR");
        }
        assertThat(upstream.tcpQueries.get()).isEqualTo(queries + 3);
        assertThat(upstream.tcpConnections.get()).isEqualTo(connections);
    }

    @Test
    void ednsIsKeptBothWays() {
        Dig.Result r = Dig.query(SHIP, dnsPort, "cilium.io", "+edns=0", "+bufsize=1232");
        assertThat(r.status()).isEqualTo("NOERROR");
        assertThat(r.hasOpt()).as(r.output()).isTrue();
        assertThat(Dig.query(SHIP, dnsPort, "cilium.io", "+noedns").hasOpt()).isFalse();
    }

    @Test
    void anUpstreamThatDoesNotAnswerGetsTheClientServfail() {
        Dig.Result r = Dig.query(SHIP, dnsPort, "silent.cilium.io", "+time=5");
        assertThat(r.status()).as(r.output()).isEqualTo("SERVFAIL");
    }

    static Map<String, FqdnObservationRecord> observations() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", DnsStackResource.broker.getAdvertisedListeners());
        props.put("isolation.level", "read_committed");
        Map<String, FqdnObservationRecord> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(ControlPlane.OBSERVATIONS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    FqdnObservationRecord o = MeshJson.decode(r.value(), FqdnObservationRecord.class, 1);
                    assertThat(r.key()).isEqualTo(o.key());
                    out.put(r.key(), o);
                }
            }
        }
        return out;
    }
}
