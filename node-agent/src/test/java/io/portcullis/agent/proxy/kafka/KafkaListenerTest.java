package io.portcullis.agent.proxy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.endpoint.EndpointRequest;
import io.portcullis.agent.endpoint.EndpointValidation;
import io.portcullis.agent.proxy.http.ProxyListener;
import io.portcullis.agent.rest.ApiException;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaListenerTest {

    private static final EndpointRecord BROKER = EndpointValidation.toRecord("n1", new EndpointRequest("broker", null,
            Map.of("app", "kafka"), null, null, List.of("127.60.0.1", "127.60.0.2"), null,
            Map.of("9092", "kafka://127.0.0.1:19092", "8080", "127.0.0.1:8080")));

    @Test
    void kafkaBackendsBecomeKafkaListenersAndHttpOnesStayHttp() {
        assertThat(KafkaListener.of("default/broker", BROKER)).containsExactly(
                Map.entry("127.60.0.1:9092", new KafkaListener("127.60.0.1", 9092, "default/broker", "127.0.0.1", 19092)),
                Map.entry("127.60.0.2:9092", new KafkaListener("127.60.0.2", 9092, "default/broker", "127.0.0.1", 19092)));
        assertThat(ProxyListener.of("default/broker", BROKER)).containsOnlyKeys("127.60.0.1:8080", "127.60.0.2:8080");
    }

    @Test
    void brokerAddresses() {
        Map<String, ProxyListener.Backend> good = Map.of(
                "kafka://127.0.0.1:9092", new ProxyListener.Backend("127.0.0.1", 9092),
                "kafka://localhost:19092", new ProxyListener.Backend("localhost", 19092),
                "kafka://[::1]:9092", new ProxyListener.Backend("::1", 9092));
        good.forEach((text, backend) -> assertThat(KafkaListener.broker(text)).as(text).isEqualTo(backend));
        for (String bad : new String[] {"127.0.0.1:9092", "kafka://", "kafka://host", "kafka://host:0", "kafka://::1:9092",
                "KAFKA://h:1", "kafka:/h:1"}) {
            assertThatThrownBy(() -> KafkaListener.broker(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void registrationValidatesKafkaBackendsLikeHttpOnes() {
        EndpointRecord ok = EndpointValidation.toRecord("n1", new EndpointRequest("b", null, Map.of(), null, null,
                List.of("127.60.0.1"), null, Map.of("9092", "kafka://127.0.0.1:9092")));
        assertThat(ok.backends()).containsEntry("9092", "kafka://127.0.0.1:9092");
        assertThatThrownBy(() -> EndpointValidation.toRecord("n1", new EndpointRequest("b", null, Map.of(), null, null,
                List.of("127.60.0.1"), null, Map.of("9092", "kafka://nope"))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.causes()).extracting(ApiException.Cause::field).containsExactly("backends.9092");
                });
    }
}
