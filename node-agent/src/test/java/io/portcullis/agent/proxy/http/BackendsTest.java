package io.portcullis.agent.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.endpoint.EndpointRequest;
import io.portcullis.agent.endpoint.EndpointValidation;
import io.portcullis.agent.rest.ApiException;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendsTest {

    @Test
    void backendAddressesParseOrSayWhatIsWrong() {
        assertThat(ProxyListener.Backend.parse("127.0.0.1:8080")).isEqualTo(new ProxyListener.Backend("127.0.0.1", 8080));
        assertThat(ProxyListener.Backend.parse("[::1]:80")).isEqualTo(new ProxyListener.Backend("::1", 80));
        assertThat(ProxyListener.Backend.parse("backend.local:80")).isEqualTo(new ProxyListener.Backend("backend.local", 80));
        for (String bad : new String[] {"127.0.0.1", "127.0.0.1:", ":80", "::1:80", "h:0", "h:65536", "h:http"}) {
            assertThatThrownBy(() -> ProxyListener.Backend.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void aRegistrationWithBackendsListensOnEveryAddressTimesPort() {
        EndpointRecord r = EndpointValidation.toRecord("node-1", new EndpointRequest("web", null, Map.of(), null, null,
                List.of("127.40.0.1", "127.40.0.2"), null, Map.of("80", "127.0.0.1:8080", "81", "127.0.0.1:8081")));
        assertThat(ProxyListener.of("default/web", r).keySet())
                .containsExactly("127.40.0.1:80", "127.40.0.1:81", "127.40.0.2:80", "127.40.0.2:81");
        assertThat(ProxyListener.of("default/web", r).get("127.40.0.2:81"))
                .isEqualTo(new ProxyListener("127.40.0.2", 81, "default/web", "127.0.0.1", 8081));
        EndpointRecord none = EndpointValidation.toRecord("node-1", new EndpointRequest("web", null, Map.of(), null,
                null, List.of("127.40.0.1"), null));
        assertThat(none.backends()).isNull();
        assertThat(ProxyListener.of("default/web", none)).isEmpty();
    }

    @Test
    void badBackendsAreRefusedByField() {
        EndpointRequest bad = new EndpointRequest("web", null, Map.of(), null, null, List.of(), null,
                Map.of("http", "127.0.0.1:80", "0", "127.0.0.1:80", "81", "nope"));
        assertThatThrownBy(() -> EndpointValidation.toRecord("node-1", bad))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.causes()).extracting(ApiException.Cause::field)
                            .containsExactlyInAnyOrder("backends", "backends.http", "backends.0", "backends.81");
                });
    }
}
