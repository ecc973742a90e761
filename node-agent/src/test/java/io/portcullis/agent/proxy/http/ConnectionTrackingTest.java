package io.portcullis.agent.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.agent.AgentDriver;
import io.portcullis.agent.KafkaBrokerResource;
import io.portcullis.agent.MeshClient;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.fqdn.ConnectionRecord;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

/**
 * node-agent's connection reports (issue 5, zombies): an exchange forwarded by the egress proxy from a
 * local endpoint is a live connection to its destination on {@code portcullis.connections} (a real
 * broker) while it lasts, and a tombstone once its response ended.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ConnectionTrackingTest {

    private static final String CLIENT_IP = "127.40.1.12";

    @Test
    void aForwardedExchangeIsALiveConnectionUntilItsResponseEnds() {
        AgentDriver.awaitReady();
        ProxyFixture.register(ProxyFixture.endpoint("cx-client", "cx-client", CLIENT_IP), null);
        // Whatever other tests applied: this client may reach anything.
        ProxyFixture.allowAllEgress("cx-client", "default/cx-client");
        int port = ProxyFixture.backendPort();
        HttpClient viaProxy = ProxyFixture.egressClient(CLIENT_IP);
        int held = ProxyFixture.HELD.size();
        Future<Integer> exchange = viaProxy.request(new RequestOptions().setMethod(HttpMethod.GET)
                        .setHost(ProxyFixture.BACKEND_HOST).setPort(port).setURI("/hold"))
                .compose(req -> req.send().compose(res -> res.body().map(b -> res.statusCode())));
        String key = AgentDriver.NODE + "/default/cx-client/" + ProxyFixture.BACKEND_HOST;
        Eventually.holds(() -> assertThat(MeshClient.latest("portcullis.connections", key)).hasValueSatisfying(r -> {
            assertThat(r.value()).isNotNull();
            ConnectionRecord c = MeshJson.decode(r.value(), ConnectionRecord.class, ConnectionRecord.SCHEMA_VERSION);
            assertThat(c.endpoint()).isEqualTo("default/cx-client");
            assertThat(c.ip()).isEqualTo(ProxyFixture.BACKEND_HOST);
            assertThat(c.connections()).isEqualTo(1);
            assertThat(c.liveAt(System.currentTimeMillis())).isTrue();
        }));
        assertThat(exchange.isComplete()).isFalse();

        Eventually.holds(() -> assertThat(ProxyFixture.HELD).hasSize(held + 1));
        ProxyFixture.HELD.get(held).end("released");
        assertThat(ProxyFixture.await(exchange)).isEqualTo(200);
        Eventually.holds(() -> assertThat(MeshClient.latest("portcullis.connections", key))
                .hasValueSatisfying(r -> assertThat(r.value()).as("tombstone").isNull()));
        viaProxy.close();
    }
}
