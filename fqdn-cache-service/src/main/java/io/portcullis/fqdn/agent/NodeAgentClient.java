package io.portcullis.fqdn.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.fqdn.app.FqdnConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Calls a node's agent: {@code POST /v1/endpoints/{ns}/{name}/await-ips} (docs/mesh.md). */
@ApplicationScoped
public class NodeAgentClient {

    /** The agent's answer: {@code status} is its HTTP status, 0 when it could not be reached. */
    public record AwaitResult(int status, boolean realized, Map<String, Long> identities, String error) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FqdnConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public NodeAgentClient(FqdnConfig config) {
        this.config = config;
    }

    public String baseUrl(String node) {
        String url = config.nodeAgent().urls().get(node);
        return url != null ? url : config.nodeAgent().urlTemplate().replace("{node}", node);
    }

    /** Waits (at most {@code timeout} plus a little) until the node realized the IPs for the endpoint. */
    public AwaitResult awaitIps(String node, String endpoint, Collection<String> ips, Duration timeout) {
        String[] id = endpoint.split("/", 2);
        ObjectNode body = JSON.createObjectNode();
        ips.forEach(body.putArray("ips")::add);
        body.put("timeoutMs", timeout.toMillis());
        URI uri = URI.create(baseUrl(node) + "/v1/endpoints/" + enc(id[0]) + "/" + enc(id[1]) + "/await-ips");
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout.plusSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new AwaitResult(r.statusCode(), false, Map.of(), r.body());
            }
            JsonNode j = JSON.readTree(r.body());
            Map<String, Long> ids = new LinkedHashMap<>();
            j.path("identities").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asLong()));
            return new AwaitResult(200, j.path("realized").asBoolean(false), ids, null);
        } catch (IOException e) {
            return new AwaitResult(0, false, Map.of(), uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AwaitResult(0, false, Map.of(), "interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
