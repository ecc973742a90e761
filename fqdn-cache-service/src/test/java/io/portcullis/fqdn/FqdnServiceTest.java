package io.portcullis.fqdn;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.fqdn.ConnectionRecord;
import io.portcullis.mesh.fqdn.FqdnObservationRecord;
import io.portcullis.mesh.fqdn.FqdnSelectionRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * fqdn-cache-service against a real broker: observations → selections on the topic, the hold until the
 * node agent says realized (200) or not (504), TTL expiry through GC to tombstones, list and flush, bad input.
 */
@QuarkusTest
@WithTestResource(MeshDouble.class)
class FqdnServiceTest {

    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: client}}
              egress:
              - toFQDNs: [{matchName: cilium.io}, {matchPattern: "*.cilium.io"}]
                toPorts: [{ports: [{port: "443", protocol: TCP}]}]
            """;

    @BeforeAll
    static void clientAndPolicy() {
        EndpointRecord client = new EndpointRecord(EndpointRecord.SCHEMA_VERSION, "node-1", "default", "client",
                Map.of("app", "client"), Map.of(), "default", List.of("127.10.0.2"), Map.of());
        MeshDouble.send("portcullis.endpoints", client.key(), MeshJson.encode(client));
        ParseResult r = new PolicyParser().parseAndValidate(POLICY, "application/yaml");
        MeshDouble.send("portcullis.policies", "default/web", MeshJson.encode(PolicyEvent.Applied.of(1, r.policies().get(0))));
    }

    private static io.restassured.response.Response observe(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/fqdn/observations");
    }

    private static Optional<FqdnSelectionRecord> selection(String ip) {
        Optional<byte[]> v = MeshDouble.latest("portcullis.fqdn-selections").getOrDefault(ip, Optional.empty());
        return v.map(b -> MeshJson.decode(b, FqdnSelectionRecord.class, FqdnSelectionRecord.SCHEMA_VERSION));
    }

    @Test
    void aSelectedAnswerIsPublishedAndHeldUntilTheNodeRealizedIt() {
        MeshDouble.realized.set(true);
        Eventually.holds(() -> observe("{\"endpoint\":\"default/client\",\"name\":\"WWW.Cilium.IO.\",\"ips\":[\"127.200.0.10\"],\"ttl\":300}")
                .then().statusCode(200)
                .body("node", equalTo("node-1"))
                .body("name", equalTo("www.cilium.io"))
                .body("selectors.'127.200.0.10'", equalTo(List.of("*.cilium.io")))
                .body("realized", equalTo(true)));
        assertThat(MeshDouble.lastAwait.get()).startsWith("/v1/endpoints/default/client/await-ips")
                .contains("\"ips\":[\"127.200.0.10\"]");
        assertThat(selection("127.200.0.10")).hasValue(FqdnSelectionRecord.of("127.200.0.10", List.of("*.cilium.io")));
        // the observation is on its topic, as dns-proxy-service writes them
        assertThat(MeshDouble.latest("portcullis.fqdn-observations")).containsKey("node-1/default/client/www.cilium.io");

        // a second name for the same IP adds its selector
        observe("{\"endpoint\":\"default/client\",\"name\":\"cilium.io\",\"ips\":[\"127.200.0.10\"],\"ttl\":300}")
                .then().statusCode(200).body("selectors.'127.200.0.10'", equalTo(List.of("*.cilium.io", "cilium.io")));
        assertThat(selection("127.200.0.10")).hasValue(FqdnSelectionRecord.of("127.200.0.10", List.of("*.cilium.io", "cilium.io")));

        given().queryParam("endpoint", "default/client").queryParam("name", "cilium.io").get("/v1/fqdn/cache")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].ip", equalTo("127.200.0.10"))
                .body("[0].state", equalTo("live"));
    }

    @Test
    void notRealizedInTimeIs504AndAnUnselectedNameDoesNotWait() {
        MeshDouble.realized.set(false);
        try {
            Eventually.holds(() -> observe("{\"endpoint\":\"default/client\",\"name\":\"api.cilium.io\",\"ips\":[\"127.200.0.20\"],\"ttl\":300}")
                    .then().statusCode(504).body("realized", equalTo(false)).body("message", containsString("not realized")));
            observe("{\"endpoint\":\"default/client\",\"name\":\"example.com\",\"ips\":[\"127.200.0.21\"],\"ttl\":300}")
                    .then().statusCode(200).body("realized", equalTo(true)).body("selectors.'127.200.0.21'", hasSize(0));
            assertThat(selection("127.200.0.21")).isEmpty();
        } finally {
            MeshDouble.realized.set(true);
        }
    }

    @Test
    void anExpiredAnswerIsCollectedAndItsSelectionTombstoned() {
        Eventually.holds(() -> observe("{\"endpoint\":\"default/client\",\"name\":\"short.cilium.io\",\"ips\":[\"127.200.0.30\"],\"ttl\":1}")
                .then().statusCode(200));
        assertThat(selection("127.200.0.30")).isPresent();
        // TTL 1 s, GC every 0.2 s in tests: zombie at the first GC after expiry, deleted at the next
        Eventually.holds(() -> {
            assertThat(MeshDouble.latest("portcullis.fqdn-selections").get("127.200.0.30")).isEqualTo(Optional.empty());
            assertThat(MeshDouble.latest("portcullis.fqdn-observations").get("node-1/default/client/short.cilium.io"))
                    .isEqualTo(Optional.empty());
        });
        given().queryParam("name", "short.cilium.io").get("/v1/fqdn/cache").then().statusCode(200).body("$", hasSize(0));
    }

    /**
     * Zombies and node-agent's connection reports ({@code portcullis.connections}): an expired IP that its
     * endpoint still has a live connection to stays selected (a zombie) until the connection's tombstone,
     * then goes after the grace period (0 s here). A lease node-agent stopped renewing (killed before its
     * tombstone) keeps nothing.
     */
    @Test
    void anExpiredIpStaysWhileALiveConnectionUsesItAndGoesAfterItCloses() throws InterruptedException {
        long now = System.currentTimeMillis();
        String live = ConnectionRecord.key("node-1", "default/client", "127.200.0.50");
        String stale = ConnectionRecord.key("node-1", "default/client", "127.200.0.51");
        MeshDouble.send("portcullis.connections", live, MeshJson.encode(
                ConnectionRecord.of("node-1", "default/client", "127.200.0.50", 1, now, 60_000)));
        MeshDouble.send("portcullis.connections", stale, MeshJson.encode(
                ConnectionRecord.of("node-1", "default/client", "127.200.0.51", 1, now - 120_000, 60_000)));
        Eventually.holds(() -> observe("{\"endpoint\":\"default/client\",\"name\":\"conn.cilium.io\",\"ips\":[\"127.200.0.50\",\"127.200.0.51\"],\"ttl\":1}")
                .then().statusCode(200));
        // TTL 1 s, GC every 0.2 s: the IP without a live connection goes, the other turns zombie and stays.
        Eventually.holds(() -> assertThat(MeshDouble.latest("portcullis.fqdn-selections").get("127.200.0.51"))
                .isEqualTo(Optional.empty()));
        Eventually.holds(() -> given().queryParam("name", "conn.cilium.io").get("/v1/fqdn/cache").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].ip", equalTo("127.200.0.50")).body("[0].state", equalTo("zombie")));
        Thread.sleep(1500); // many GCs later
        assertThat(selection("127.200.0.50")).isPresent();
        given().queryParam("name", "conn.cilium.io").get("/v1/fqdn/cache").then().statusCode(200).body("$", hasSize(1));

        MeshDouble.send("portcullis.connections", live, null); // the last connection closed
        Eventually.holds(() -> assertThat(MeshDouble.latest("portcullis.fqdn-selections").get("127.200.0.50"))
                .isEqualTo(Optional.empty()));
        given().queryParam("name", "conn.cilium.io").get("/v1/fqdn/cache").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void flushRemovesMappingsAndTombstonesSelections() {
        Eventually.holds(() -> observe("{\"endpoint\":\"default/client\",\"name\":\"flush.cilium.io\",\"ips\":[\"127.200.0.40\"],\"ttl\":300}")
                .then().statusCode(200));
        given().queryParam("name", "flush.cilium.io").delete("/v1/fqdn/cache").then().statusCode(200).body("flushed", equalTo(1));
        assertThat(MeshDouble.latest("portcullis.fqdn-selections").get("127.200.0.40")).isEqualTo(Optional.empty());
        // the replay of the observation written just before does not bring the flushed mapping back
        Eventually.holds(() -> assertThat(MeshDouble.latest("portcullis.fqdn-observations")
                .get("node-1/default/client/flush.cilium.io")).isEqualTo(Optional.empty()));
        given().queryParam("name", "flush.cilium.io").get("/v1/fqdn/cache").then().statusCode(200).body("$", hasSize(0));
        assertThat(MeshDouble.latest("portcullis.fqdn-selections").get("127.200.0.40")).isEqualTo(Optional.empty());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_fqdn_cache_names"))
                .body(containsString("portcullis_fqdn_cache_ips"))
                .body(containsString("portcullis_fqdn_cache_zombies"))
                .body(containsString("portcullis_fqdn_cache_evictions_total"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "''|400|empty",
        "{|400|invalid JSON",
        "[]|400|invalid JSON",
        "{\"endpoint\":\"default/client\",\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":1,\"x\":1}|400|invalid JSON",
        "{\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":1}|422|endpoint: required",
        "{\"endpoint\":\"client\",\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":1}|422|not namespace/name",
        "{\"endpoint\":\"default/client\",\"ips\":[\"1.2.3.4\"],\"ttl\":1}|422|name: required",
        "{\"endpoint\":\"default/client\",\"name\":\"a b.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":1}|422|not a DNS name",
        "{\"endpoint\":\"default/client\",\"name\":\"a.io\",\"ips\":[],\"ttl\":1}|422|ips: at least one",
        "{\"endpoint\":\"default/client\",\"name\":\"a.io\",\"ips\":[\"1.2.3\"],\"ttl\":1}|422|ips[0]",
        "{\"endpoint\":\"default/client\",\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"]}|422|ttl: required",
        "{\"endpoint\":\"default/client\",\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":-1}|422|ttl: must be",
        "{\"endpoint\":\"default/client\",\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":\"5\"}|400|invalid JSON",
        "{\"endpoint\":\"default/nobody\",\"name\":\"a.io\",\"ips\":[\"1.2.3.4\"],\"ttl\":1}|422|no endpoint default/nobody",
    })
    void badObservationsAreRefusedAndChangeNothing(String body, int status, String message) {
        Eventually.holds(() -> given().get("/q/health/ready").then().statusCode(200));
        observe(body).then().statusCode(status).body("message", containsString(message));
        assertThat(MeshDouble.latest("portcullis.fqdn-selections")).doesNotContainKey("1.2.3.4");
    }
}
