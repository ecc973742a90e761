package io.portcullis.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.conformance.runner.Requests.PolicyRef;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The contract REST calls, nothing else. Every call answers a {@link Resp} or throws {@link Unreachable}. */
public final class StackClient {

    /** An HTTP answer; {@code json} is null when the body is not JSON. */
    public record Resp(int status, String body, JsonNode json) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The answer's {@code revision}, or -1. */
        public long revision() {
            return json != null && json.path("revision").canConvertToLong() ? json.path("revision").asLong() : -1;
        }

        /** Status and the start of the body, for messages. */
        public String describe() {
            String b = body == null ? "" : body.strip();
            return "HTTP " + status + (b.isEmpty() ? "" : ": " + (b.length() > 400 ? b.substring(0, 400) + "..." : b));
        }
    }

    /** A service did not answer at all (refused, timed out, reset). */
    public static final class Unreachable extends Exception {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String policyApi;
    private final String nodeAgent;
    private final String fqdnCache;
    private final String token;
    private final Duration callTimeout;
    private final Duration observationTimeout;

    public StackClient(Options o) {
        this.policyApi = o.policyApi();
        this.nodeAgent = o.nodeAgent();
        this.fqdnCache = o.fqdnCache();
        this.token = o.token();
        this.callTimeout = Duration.ofSeconds(30).compareTo(o.readyTimeout()) > 0 ? Duration.ofSeconds(30) : o.readyTimeout();
        // the observation call holds until the learned IPs are realized (or answers 504 itself)
        this.observationTimeout = callTimeout.plusSeconds(30);
    }

    public String policyApi() {
        return policyApi;
    }

    public String nodeAgent() {
        return nodeAgent;
    }

    public String fqdnCache() {
        return fqdnCache;
    }

    // ---- policy-api ---------------------------------------------------------------------------------

    public Resp listPolicies() throws Unreachable {
        return send("policy-api", policyApi, "GET", "/v1/policies", null, null, callTimeout);
    }

    public Resp applyPolicies(String yaml) throws Unreachable {
        return send("policy-api", policyApi, "POST", "/v1/policies", "application/yaml", yaml, callTimeout);
    }

    public Resp deletePolicy(PolicyRef ref) throws Unreachable {
        return send("policy-api", policyApi, "DELETE", ref.path(), null, null, callTimeout);
    }

    // ---- node-agent ---------------------------------------------------------------------------------

    public Resp listEndpoints() throws Unreachable {
        return send("node-agent", nodeAgent, "GET", "/v1/endpoints", null, null, callTimeout);
    }

    public Resp registerEndpoint(ObjectNode body) throws Unreachable {
        return send("node-agent", nodeAgent, "POST", "/v1/endpoints", "application/json", body.toString(), callTimeout);
    }

    public Resp getEndpoint(String key) throws Unreachable {
        return send("node-agent", nodeAgent, "GET", Requests.endpointPath(key), null, null, callTimeout);
    }

    public Resp deleteEndpoint(String key) throws Unreachable {
        return send("node-agent", nodeAgent, "DELETE", Requests.endpointPath(key), null, null, callTimeout);
    }

    public Resp verdict(ObjectNode body) throws Unreachable {
        return send("node-agent", nodeAgent, "POST", "/v1/verdicts", "application/json", body.toString(), callTimeout);
    }

    // ---- fqdn-cache-service -------------------------------------------------------------------------

    public Resp observe(ObjectNode body) throws Unreachable {
        return send("fqdn-cache-service", fqdnCache, "POST", "/v1/fqdn/observations", "application/json", body.toString(),
                observationTimeout);
    }

    // -------------------------------------------------------------------------------------------------

    private Resp send(String service, String base, String method, String path, String contentType, String body,
                      Duration timeout) throws Unreachable {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body(), parse(r.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(service + " call interrupted: " + method + " " + base + path, e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable(service + " did not answer " + method + " " + path + " within " + timeout.toSeconds()
                    + "s (" + base + ")", e);
        } catch (ConnectException e) {
            throw new Unreachable(service + " does not answer at " + base + ": connection refused", e);
        } catch (IOException e) {
            throw new Unreachable(service + " does not answer " + method + " " + path + " at " + base + ": " + e, e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Requests.JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
