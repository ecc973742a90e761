package io.portcullis.agent.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.portcullis.agent.AgentDriver;
import io.portcullis.agent.KafkaBrokerResource;
import io.portcullis.agent.MeshClient;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/flows} and {@code portcullis.flows} with the verdict API's flows. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class FlowsResourceTest {

    @Inject
    FlowHub hub;

    @BeforeEach
    void ready() {
        AgentDriver.awaitReady();
    }

    private static void ask(String fromIp, String toIp, int port, String protocol) {
        given().contentType(ContentType.JSON).body(Map.of("from", Map.of("ip", fromIp), "to", Map.of("ip", toIp),
                "port", port, "protocol", protocol)).post("/v1/verdicts").then().statusCode(200);
    }

    @Test
    void verdictAnswersAreStreamedFilteredAndWrittenToKafka() {
        // Neither address is a local endpoint: nothing enforces, so both are allowed, as L4 flows.
        try (FlowStream udp = FlowStream.open("from=127.40.200.1&protocol=udp");
             FlowStream all = FlowStream.open("to=127.40.200.2,127.40.200.3")) {
            ask("127.40.200.1", "127.40.200.2", 53, "TCP");
            ask("127.40.200.1", "127.40.200.3", 53, "UDP");
            ask("127.40.200.9", "127.40.200.3", 53, "UDP");
            FlowRecord only = udp.take(1).getFirst();
            assertThat(only.destination().ip()).isEqualTo("127.40.200.3");
            assertThat(only.source()).isEqualTo(new FlowRecord.Peer(null, 2L, "127.40.200.1"));
            assertThat(only.origin()).isEqualTo("verdict-api");
            assertThat(only.verdict()).isEqualTo(FlowVerdict.ALLOWED);
            assertThat(all.take(3)).extracting(f -> f.source().ip() + ">" + f.destination().ip() + "/" + f.protocol())
                    .containsExactly("127.40.200.1>127.40.200.2/TCP", "127.40.200.1>127.40.200.3/UDP",
                            "127.40.200.9>127.40.200.3/UDP");
        }
        Eventually.holds(() -> assertThat(MeshClient.latest("portcullis.flows", "127.40.200.3"))
                .hasValueSatisfying(r -> assertThat(MeshJson.decode(r.value(), FlowRecord.class, 1).source().ip())
                        .isEqualTo("127.40.200.9")));
    }

    /**
     * The SSE writer takes one event at a time; a burst arriving meanwhile waits in the subscriber's buffer.
     * (Before, the stream dropped whatever came while a write was in flight: KafkaProxyTest's AUDIT flow
     * went missing that way now and then.)
     */
    @Test
    void aSubscriberThatKeepsUpGetsEveryFlowOfABurstInOrder() {
        int burst = 1000;
        try (FlowStream stream = FlowStream.open("from=127.40.201.1&origin=test-burst")) {
            for (int i = 0; i < burst; i++) {
                hub.accept(FlowRecords.of(AgentDriver.NODE, "test-burst", new FlowRecord.Peer(null, 2L, "127.40.201.1"),
                        new FlowRecord.Peer(null, 2L, "127.40.201.2"), i, "TCP",
                        new Audit.Outcome(FlowVerdict.ALLOWED, List.of()), "burst", null, null, null));
            }
            assertThat(stream.take(burst)).extracting(FlowRecord::port)
                    .containsExactlyElementsOf(IntStream.range(0, burst).boxed().toList());
        }
    }

    @Test
    void badFiltersAre400AndNameTheValue() {
        given().get("/v1/flows?verdict=FORWARDED").then().statusCode(400).body(containsString("FORWARDED"));
        given().get("/v1/flows?last=5000").then().statusCode(400).body(containsString("last"));
    }
}
