package io.portcullis.agent.proxy.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.agent.AgentDriver;
import io.portcullis.agent.ControlPlaneDouble;
import io.portcullis.testsupport.mesh.ControlPlaneDouble.MeshRecord;
import io.portcullis.agent.MeshClient;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.testsupport.Eventually;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The control plane (one {@link ControlPlaneDouble} for every proxy test, so identities never clash) and a
 * real backend server: {@code /echo} echoes the body, {@code /stream} answers in chunks, {@code /hold} waits
 * for the test ({@link #HELD}), anything else says
 * {@code hello METHOD PATH}. Public for the Kafka proxy's test, which shares the control plane.
 */
public final class ProxyFixture {

    public static final ControlPlaneDouble PLANE = new ControlPlaneDouble(AgentDriver.NODE);
    static final Vertx VERTX = Vertx.vertx();
    static final String BACKEND_HOST = "127.40.0.100";
    private static volatile HttpServer backend;
    /** Responses of {@code /hold} requests: answered only when a test ends them (a long-lived exchange). */
    static final List<io.vertx.core.http.HttpServerResponse> HELD = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ProxyFixture() {}

    static synchronized int backendPort() {
        if (backend == null) {
            backend = await(VERTX.createHttpServer(new HttpServerOptions()).requestHandler(req -> {
                if (req.path().endsWith("/echo")) {
                    req.body().onSuccess(b -> req.response().end(Buffer.buffer("echo:").appendBuffer(b)));
                } else if (req.path().endsWith("/hold")) {
                    HELD.add(req.response());
                } else if (req.path().endsWith("/stream")) {
                    req.response().setChunked(true);
                    for (int i = 0; i < 5; i++) {
                        int n = i;
                        VERTX.setTimer(20L * (i + 1), t -> {
                            req.response().write("chunk" + n);
                            if (n == 4) {
                                req.response().end();
                            }
                        });
                    }
                } else {
                    req.response().putHeader("x-backend", "yes").end("hello " + req.method() + " " + req.uri());
                }
            }).listen(0, BACKEND_HOST));
        }
        return backend.actualPort();
    }

    /** The egress forward proxy's host or port, as configured (application.yaml's %test profile). */
    static <T> T egress(String key, Class<T> type) {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("portcullis.proxy.http.egress-" + key, type);
    }

    /** A client bound to {@code localIp} that sends through the egress forward proxy. */
    static io.vertx.core.http.HttpClient egressClient(String localIp) {
        return VERTX.createHttpClient(new io.vertx.core.http.HttpClientOptions().setLocalAddress(localIp)
                .setProxyOptions(new io.vertx.core.net.ProxyOptions().setType(io.vertx.core.net.ProxyType.HTTP)
                        .setHost(egress("host", String.class)).setPort(egress("port", Integer.class))));
    }

    /** A policy {@code <app>-egress} that lets the endpoint with label {@code app} reach anything. */
    static void allowAllEgress(String app, String endpoint) {
        apply("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: %s-egress, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {app: %s}}
                  egress:
                  - toEntities: [all]
                """.formatted(app, app), Set.of(), endpoint);
    }

    static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An HTTP/1.1 or HTTP/2 (prior knowledge) client bound to {@code localIp}, one keep-alive connection. */
    static HttpClient client(String localIp, HttpVersion version) {
        HttpClientOptions o = new HttpClientOptions().setLocalAddress(localIp).setProtocolVersion(version)
                .setHttp2ClearTextUpgrade(false).setKeepAlive(true);
        return VERTX.createHttpClient(o, new PoolOptions().setHttp1MaxSize(1).setHttp2MaxSize(1));
    }

    record Answer(int status, String body, HttpConnection connection, HttpVersion version) {}

    /** One request; {@code body} null for none. */
    static Answer call(HttpClient c, String host, int port, HttpMethod method, String path, String body) {
        return await(c.request(new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path))
                .compose(req -> (body == null ? req.send() : req.send(body))
                        .compose(res -> res.body().map(b -> new Answer(res.statusCode(), b.toString(),
                                req.connection(), res.version())))));
    }

    /** {@code backends} of a registration: this port served by the fixture's backend. */
    static Map<String, String> backends(int port) {
        return Map.of(Integer.toString(port), BACKEND_HOST + ":" + backendPort());
    }

    /** {@link #register} unless the endpoint is registered already (tests share the agent). */
    static synchronized void registerOnce(CaseEndpoint e, Map<String, String> backends) {
        if (given().get("/v1/endpoints/" + e.key()).statusCode() != 200) {
            register(e, backends);
        }
    }

    public static CaseEndpoint endpoint(String name, String app, String ip) {
        return new CaseEndpoint(name, "default", Map.of("app", app), null, null, List.of(ip), null);
    }

    /** Registers over REST (with backends) and answers as identity-service would. */
    public static void register(CaseEndpoint e, Map<String, String> backends) {
        Map<String, Object> body = new LinkedHashMap<>(AgentDriver.body(e));
        if (backends != null) {
            body.put("backends", backends);
        }
        var post = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                given().contentType(ContentType.JSON).body(body).post("/v1/endpoints"));
        String key = AgentDriver.NODE + "/" + e.key();
        Eventually.holds(() -> assertThat(MeshClient.latest(ControlPlaneDouble.ENDPOINTS, key))
                .hasValueSatisfying(r -> assertThat(r.value()).isNotNull()));
        MeshClient.send(PLANE.register(e));
        assertThat(post.join().statusCode()).isIn(200, 201);
    }

    /**
     * Applies policies as compiler-service would publish them (marking {@code auditPolicies} as the compiler
     * does for annotated ones), and waits until these endpoints run the new maps.
     */
    public static long apply(String yaml, Set<String> auditPolicies, String... endpoints) {
        long revision = AgentDriver.nextRevision();
        List<MeshRecord> out = new ArrayList<>();
        for (MeshRecord r : PLANE.apply(yaml, revision)) {
            if (r.topic().equals(ControlPlaneDouble.ENDPOINT_POLICIES) && r.value() != null) {
                EndpointPolicyRecord rec = MeshJson.decode(r.value(), EndpointPolicyRecord.class, EndpointPolicyRecord.SCHEMA_VERSION);
                List<String> audit = EndpointPolicyCodec.policyNames(rec).stream().filter(auditPolicies::contains).toList();
                r = new MeshRecord(r.topic(), r.key(), MeshJson.encode(rec.withAuditPolicies(audit)));
            }
            out.add(r);
        }
        MeshClient.send(out);
        for (String e : endpoints) {
            Eventually.holds(() -> given().get("/v1/endpoints/" + e).then().statusCode(200)
                    .body("state", equalTo("ready")).body("policyRevision", equalTo((int) revision)));
        }
        return revision;
    }
}
