package io.portcullis.agent.proxy.http;

import static io.portcullis.agent.proxy.http.ProxyFixture.VERTX;
import static io.portcullis.agent.proxy.http.ProxyFixture.await;
import static io.portcullis.agent.proxy.http.ProxyFixture.client;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.portcullis.agent.AgentDriver;
import io.portcullis.agent.KafkaBrokerResource;
import io.portcullis.agent.flow.FlowStream;
import io.portcullis.agent.proxy.http.ProxyFixture.Answer;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.testsupport.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP proxy on real sockets: real clients bound to endpoint addresses (Vert.x's client and curl
 * {@code --interface}) reach the proxy on the server endpoint's address, which enforces the realized HTTP
 * rules and forwards to a real backend.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HttpProxyTest {

    private static final String WEB_IP = "127.40.1.1";
    private static final String CLIENT_IP = "127.40.1.2";
    private static final String STRANGER_IP = "127.40.1.3";
    private static final int PORT = 18080;

    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: px-web-http, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: px-web}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: px-client}}]
                toPorts:
                - ports: [{port: "18080", protocol: TCP}]
                  rules:
                    http:
                    - {method: GET, path: "/public.*"}
                    - {method: POST, path: "/echo"}
                    %s
            """;

    @BeforeEach
    void setUp() {
        AgentDriver.awaitReady();
        ProxyFixture.registerOnce(ProxyFixture.endpoint("px-web", "px-web", WEB_IP), ProxyFixture.backends(PORT));
        ProxyFixture.registerOnce(ProxyFixture.endpoint("px-client", "px-client", CLIENT_IP), null);
        ProxyFixture.registerOnce(ProxyFixture.endpoint("px-stranger", "px-stranger", STRANGER_IP), null);
        ProxyFixture.apply(POLICY.formatted(""), Set.of(), "default/px-web", "default/px-client");
        Eventually.holds(() -> given().get("/v1/endpoints/default/px-web").then().statusCode(200)
                .body("backends.18080", equalTo(ProxyFixture.backends(PORT).get("18080"))));
    }

    private static Answer call(HttpClient c, HttpMethod method, String path, String body) {
        return ProxyFixture.call(c, WEB_IP, PORT, method, path, body);
    }

    @Test
    void allowedRequestsReachTheBackendDeniedOnesGet403AndStrangersAreDropped() {
        HttpClient c = client(CLIENT_IP, HttpVersion.HTTP_1_1);
        try (FlowStream flows = FlowStream.open("to=default/px-web&protocol=http&origin=http-proxy")) {
            Answer ok = call(c, HttpMethod.GET, "/public/a?x=1", null);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("hello GET /public/a?x=1");

            Answer denied = call(c, HttpMethod.GET, "/private", null);
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo("Access denied");

            Answer echoed = call(c, HttpMethod.POST, "/echo", "x".repeat(100_000));
            assertThat(echoed.status()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo("echo:" + "x".repeat(100_000));

            Answer streamed = call(c, HttpMethod.GET, "/public/stream", null);
            assertThat(streamed.body()).isEqualTo("chunk0chunk1chunk2chunk3chunk4");

            // L3: no rule lets the stranger in; the datapath would have dropped it, so the proxy resets.
            HttpClient stranger = client(STRANGER_IP, HttpVersion.HTTP_1_1);
            assertThatThrownBy(() -> call(stranger, HttpMethod.GET, "/public/a", null)).isInstanceOf(AssertionError.class);

            List<FlowRecord> seen = flows.take(5);
            assertThat(seen).extracting(f -> f.http().path(), FlowRecord::verdict, f -> f.http().status())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("/public/a?x=1", FlowVerdict.ALLOWED, 200),
                            org.assertj.core.groups.Tuple.tuple("/private", FlowVerdict.DENIED, 403),
                            org.assertj.core.groups.Tuple.tuple("/echo", FlowVerdict.ALLOWED, 200),
                            org.assertj.core.groups.Tuple.tuple("/public/stream", FlowVerdict.ALLOWED, 200),
                            org.assertj.core.groups.Tuple.tuple("/public/a", FlowVerdict.DENIED, null));
            FlowRecord denied403 = seen.get(1);
            assertThat(denied403.source()).isEqualTo(new FlowRecord.Peer("default/px-client",
                    denied403.source().identity(), CLIENT_IP));
            assertThat(denied403.destination().endpoint()).isEqualTo("default/px-web");
            assertThat(denied403.port()).isEqualTo(PORT);
            assertThat(denied403.policies()).containsExactly("default/px-web-http");
            assertThat(seen.get(4).source().endpoint()).isEqualTo("default/px-stranger");
            assertThat(seen.get(4).policies()).containsExactly("default/px-web-http");
        }
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "portcullis_flows_policy_total{origin=\"http-proxy\",policy=\"default/px-web-http\",verdict=\"DENIED\"}"));
    }

    @Test
    void keepAliveConnectionSurvivesAPolicyChangeAndTheNextRequestFollowsIt() {
        for (HttpVersion version : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
            ProxyFixture.apply(POLICY.formatted(""), Set.of(), "default/px-web");
            HttpClient c = client(CLIENT_IP, version);
            Answer first = call(c, HttpMethod.GET, "/private/x", null);
            assertThat(first.status()).as(version.name()).isEqualTo(403);
            assertThat(first.version()).isEqualTo(version);

            ProxyFixture.apply(POLICY.formatted("- {method: GET, path: \"/private.*\"}"), Set.of(), "default/px-web");
            Answer second = call(c, HttpMethod.GET, "/private/x", null);
            assertThat(second.status()).as(version.name()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("hello GET /private/x");
            assertThat(second.connection()).as("same connection").isSameAs(first.connection());
            assertThat(second.version()).isEqualTo(version);

            ProxyFixture.apply(POLICY.formatted(""), Set.of(), "default/px-web");
            Answer third = call(c, HttpMethod.GET, "/private/x", null);
            assertThat(third.status()).isEqualTo(403);
            assertThat(third.connection()).isSameAs(first.connection());
            await(c.close());
        }
    }

    @Test
    void curlBoundToTheClientAddress() throws Exception {
        assertThat(curl("--interface", CLIENT_IP, "http://" + WEB_IP + ":" + PORT + "/public/curl"))
                .isEqualTo("200 hello GET /public/curl");
        assertThat(curl("--interface", CLIENT_IP, "http://" + WEB_IP + ":" + PORT + "/admin"))
                .isEqualTo("403 Access denied");
        assertThat(curl("--http2-prior-knowledge", "--interface", CLIENT_IP, "http://" + WEB_IP + ":" + PORT + "/public/h2"))
                .isEqualTo("200 hello GET /public/h2");
    }

    @Test
    void egressForwardProxyDecidesBothSidesAndForwards() throws Exception {
        String egressPolicy = """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: px-client-egress, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {app: px-client}}
                  egress:
                  - toEndpoints: [{matchLabels: {app: px-web}}]
                    toPorts:
                    - ports: [{port: "18080", protocol: TCP}]
                      rules:
                        http:
                        - {method: GET, path: "/public/only-egress.*"}
                """;
        ProxyFixture.apply(POLICY.formatted("") + "---\n" + egressPolicy, Set.of(), "default/px-web", "default/px-client");
        String egressProxy = ProxyFixture.egress("host", String.class) + ":" + ProxyFixture.egress("port", Integer.class);
        try (FlowStream flows = FlowStream.open("from=" + CLIENT_IP + "&origin=http-proxy")) {
            assertThat(curl("--interface", CLIENT_IP, "-x", "http://" + egressProxy,
                    "http://" + WEB_IP + ":" + PORT + "/public/only-egress/1")).isEqualTo("200 hello GET /public/only-egress/1");
            // Ingress allows /public.*, the client's egress rule does not.
            assertThat(curl("--interface", CLIENT_IP, "-x", "http://" + egressProxy,
                    "http://" + WEB_IP + ":" + PORT + "/public/other")).isEqualTo("403 Access denied");
            List<FlowRecord> seen = flows.take(2);
            assertThat(seen).extracting(FlowRecord::verdict).containsExactly(FlowVerdict.ALLOWED, FlowVerdict.DENIED);
            assertThat(seen.get(1).policies()).containsExactly("default/px-client-egress");

            HttpClient viaProxy = ProxyFixture.egressClient(CLIENT_IP);
            Answer a = call(viaProxy, HttpMethod.GET, "/public/only-egress/vertx", null);
            assertThat(a.status()).isEqualTo(200);
        } finally {
            ProxyFixture.allowAllEgress("px-client", "default/px-client");
        }
    }

    @Test
    void auditModeLetsWouldBeDeniesThroughAndRecordsThem() {
        String audited = """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: px-web-audit
                  namespace: default
                  annotations: {portcullis.io/audit: "true"}
                spec:
                  endpointSelector: {matchLabels: {app: px-audited}}
                  ingress:
                  - fromEndpoints: [{matchLabels: {app: px-client}}]
                    toPorts:
                    - ports: [{port: "18080", protocol: TCP}]
                      rules:
                        http:
                        - {method: GET, path: "/ok"}
                """;
        String auditedIp = "127.40.1.4";
        ProxyFixture.registerOnce(ProxyFixture.endpoint("px-audited", "px-audited", auditedIp), ProxyFixture.backends(PORT));
        ProxyFixture.apply(audited, Set.of("default/px-web-audit"), "default/px-audited");
        HttpClient c = client(CLIENT_IP, HttpVersion.HTTP_1_1);
        try (FlowStream flows = FlowStream.open("to=default/px-audited&verdict=AUDIT")) {
            Answer a = ProxyFixture.call(c, auditedIp, PORT, HttpMethod.GET, "/not-ok", null);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("hello GET /not-ok");
            FlowRecord f = flows.take(1).getFirst();
            assertThat(f.verdict()).isEqualTo(FlowVerdict.AUDIT);
            assertThat(f.policies()).containsExactly("default/px-web-audit");
            assertThat(f.http().path()).isEqualTo("/not-ok");
        }
        // The verdict API answers the same: allowed, because of the audit-mode policy.
        given().contentType(ContentType.JSON).body(Map.of("from", Map.of("endpoint", "default/px-client"),
                        "to", Map.of("endpoint", "default/px-audited"), "port", PORT, "protocol", "TCP",
                        "http", Map.of("method", "GET", "path", "/not-ok")))
                .post("/v1/verdicts").then().statusCode(200)
                .body("verdict", equalTo("ALLOWED")).body("audit", hasItem("default/px-web-audit"));
        // Stopping audit mode (same rules, no annotation) enforces them.
        ProxyFixture.apply(audited.replace("annotations: {portcullis.io/audit: \"true\"}", "annotations: {}"), Set.of(),
                "default/px-audited");
        Answer b = ProxyFixture.call(c, auditedIp, PORT, HttpMethod.GET, "/not-ok", null);
        assertThat(b.status()).isEqualTo(403);
    }

    /** curl's status and body: {@code "200 hello ..."}. */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", " %{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        int space = out.lastIndexOf(' ');
        return out.substring(space + 1) + " " + out.substring(0, space);
    }
}
