package io.portcullis.dnsproxy;

import static io.portcullis.dnsproxy.support.DnsStackResource.SHIP;
import static io.portcullis.dnsproxy.support.DnsStackResource.dnsPort;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.testsupport.mesh.ControlPlaneDouble;
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
        ConformanceCase c = ControlPlaneDouble.loadCase("seed-tofqdn-dns-visibility");
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
        // Names a toFQDNs selector of the case selects (special*service.api.cilium.io): worth holding.
        DnsStackResource.upstream.put("special-held-service.api.cilium.io", "127.202.0.1");
        int before = agent.requests.size();
        long t0 = System.nanoTime();
        assertThat(Dig.query(SHIP, dnsPort, "special-held-service.api.cilium.io").status()).isEqualTo("NOERROR");
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(30);
        assertThat(agent.requests.subList(before, agent.requests.size())).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/v1/endpoints/default/alliance-ship/await-ips");
            assertThat(r.ips()).containsExactly("127.202.0.1");
            assertThat(r.timeoutMs()).isEqualTo(100);
        });
        // Seen realized: not held again.
        assertThat(Dig.query(SHIP, dnsPort, "special-held-service.api.cilium.io").status()).isEqualTo("NOERROR");
        assertThat(agent.requests).hasSize(before + 1);

        // Never realized: released after the hold timeout, and counted.
        agent.realizeAfterMs = 10_000;
        DnsStackResource.upstream.put("special-late-service.api.cilium.io", "127.202.0.2");
        int timeouts = given().get("/v1/dns-proxy/stats").then().extract().path("holdTimeouts");
        t0 = System.nanoTime();
        assertThat(Dig.query(SHIP, dnsPort, "special-late-service.api.cilium.io").status()).isEqualTo("NOERROR");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(90L, 2_000L);
        int after = given().get("/v1/dns-proxy/stats").then().extract().path("holdTimeouts");
        assertThat(after).isEqualTo(timeouts + 1);
    }

    /**
     * An answer for a name no toFQDNs selector of the node selects (the DNS rules allow *.cilium.io, toFQDNs
     * selects fewer names) can change no map here: released at once, node-agent is not asked, nothing times
     * out, but it is still learned (another node's policy may select it).
     */
    @Test
    void answersForNamesNoSelectorSelectsAreReleasedAtOnce() {
        var agent = DnsStackResource.agent;
        agent.realizeAfterMs = 10_000;
        DnsStackResource.upstream.put("unselected.cilium.io", "127.202.0.4");
        int before = agent.requests.size();
        int timeouts = stat("holdTimeouts");
        int unselected = stat("holdUnselected");
        int learned = stat("learned");
        assertThat(Dig.query(SHIP, dnsPort, "unselected.cilium.io").status()).isEqualTo("NOERROR");
        assertThat(agent.requests).hasSize(before);
        assertThat(stat("holdTimeouts")).isEqualTo(timeouts);
        assertThat(stat("holdUnselected")).isEqualTo(unselected + 1);
        assertThat(stat("learned")).isEqualTo(learned + 1);
        Eventually.holds(() -> assertThat(observations()).containsKey("node-1/default/alliance-ship/unselected.cilium.io"));
    }

    /**
     * Issue 5's state bug: a pod deleted and registered again under the same name within TTL/2 was neither
     * re-published (fqdn-cache had dropped its entries with the old pod) nor held (its addresses were
     * "seen realized" for the old pod). Both are kept per incarnation now.
     */
    @Test
    void aPodReCreatedUnderTheSameNameIsLearnedAndHeldAgain() {
        var agent = DnsStackResource.agent;
        String name = "special-again-service.api.cilium.io";
        DnsStackResource.upstream.put(name, "127.202.0.3");
        int requests = agent.requests.size();
        int published = stat("observationsPublished");
        assertThat(Dig.query(SHIP, dnsPort, name).status()).isEqualTo("NOERROR");
        Eventually.holds(() -> assertThat(stat("observationsPublished")).isEqualTo(published + 1));
        assertThat(agent.requests).hasSize(requests + 1);
        // The same pod again within TTL/2: neither held nor published again.
        assertThat(Dig.query(SHIP, dnsPort, name).status()).isEqualTo("NOERROR");
        assertThat(agent.requests).hasSize(requests + 1);

        String bootstrap = DnsStackResource.broker.getAdvertisedListeners();
        DnsStackResource.publish(bootstrap, List.of(new ControlPlaneDouble.MeshRecord(ControlPlaneDouble.ENDPOINTS,
                "node-1/default/alliance-ship", null)));
        Eventually.holds(() -> assertThat(stat("endpointAddresses")).isEqualTo(1));
        assertThat(Dig.query(SHIP, dnsPort, name).status()).isEqualTo("REFUSED"); // no endpoint there now
        DnsStackResource.publish(bootstrap, new ControlPlaneDouble(DnsStackResource.NODE)
                .records(ControlPlaneDouble.loadCase("seed-tofqdn-dns-visibility"), 1));
        Eventually.holds(() -> assertThat(stat("endpointAddresses")).isEqualTo(2));

        int republished = stat("observationsPublished");
        assertThat(Dig.query(SHIP, dnsPort, name).status()).isEqualTo("NOERROR");
        assertThat(agent.requests).as("held again").hasSize(requests + 2);
        Eventually.holds(() -> assertThat(stat("observationsPublished")).isEqualTo(republished + 1));
    }

    private static int stat(String name) {
        return given().get("/v1/dns-proxy/stats").then().statusCode(200).extract().path(name);
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
            TopicPartition tp = new TopicPartition(ControlPlaneDouble.OBSERVATIONS, 0);
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
