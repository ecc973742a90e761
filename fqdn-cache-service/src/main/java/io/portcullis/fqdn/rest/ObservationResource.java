package io.portcullis.fqdn.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.fqdn.agent.NodeAgentClient;
import io.portcullis.fqdn.app.FqdnConfig;
import io.portcullis.fqdn.mesh.FqdnService;
import io.portcullis.mesh.fqdn.FqdnObservationRecord;
import io.portcullis.policy.fqdn.FqdnCache;
import io.portcullis.policy.ip.IpAddress;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Contract item 4: an observation has the same effect as the DNS proxy seeing that answer, and the call
 * answers {@code 200} only once the learned IPs that some toFQDNs selector selects are realized on the
 * endpoint's node (node-agent's await-ips), {@code 504} after {@code portcullis.fqdn.observation-timeout}.
 */
@Path("/v1/fqdn/observations")
@Produces(MediaType.APPLICATION_JSON)
public class ObservationResource {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    /** A DNS name: labels of letters, digits, '-' and '_', optionally a final dot; at most 253 characters. */
    private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?\\.)*"
            + "[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?\\.?$");
    private static final Pattern K8S_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    private static final int MAX_IPS = 1000;

    private final FqdnService service;
    private final NodeAgentClient agents;
    private final FqdnConfig config;

    public ObservationResource(FqdnService service, NodeAgentClient agents, FqdnConfig config) {
        this.service = service;
        this.agents = agents;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response observe(byte[] body) throws ExecutionException, InterruptedException {
        if (!service.isReady()) {
            throw new ApiError(503, "fqdn-cache-service is not ready yet (replaying its topics)");
        }
        ObservationRequest req = parse(body);
        String endpoint = validEndpoint(req.endpoint());
        String name = validName(req.name());
        List<String> ips = validIps(req.ips());
        if (req.ttl() == null) {
            throw new ApiError(422, "ttl: required (seconds)");
        }
        if (req.ttl() < 0 || req.ttl() > Integer.MAX_VALUE) {
            throw new ApiError(422, "ttl: must be between 0 and " + Integer.MAX_VALUE + " seconds");
        }
        long deadline = System.nanoTime() + config.observationTimeout().toNanos();
        String node = awaitNode(endpoint);
        FqdnObservationRecord record = FqdnObservationRecord.of(node, endpoint, FqdnCache.normalize(name), ips,
                req.ttl(), System.currentTimeMillis(), "api");
        Map<String, List<String>> selected;
        try {
            selected = service.observe(record);
        } catch (ExecutionException e) {
            throw new ApiError(503, "cannot write the observation to Kafka: " + e.getCause().getMessage());
        }
        List<String> await = selected.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint", endpoint);
        out.put("node", node);
        out.put("name", record.name());
        out.put("ips", ips);
        out.put("ttl", req.ttl());
        out.put("selectors", selected);
        if (await.isEmpty()) {
            out.put("realized", true);
            return Response.ok(out).build();
        }
        long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
        NodeAgentClient.AwaitResult r = agents.awaitIps(node, endpoint, await, Duration.ofMillis(left));
        out.put("identities", r.identities());
        out.put("realized", r.realized());
        if (r.realized()) {
            return Response.ok(out).build();
        }
        if (r.status() == 200) {
            out.put("message", "the learned IPs " + await + " were not realized on node " + node + " within "
                    + config.observationTimeout());
            return Response.status(504).entity(out).build();
        }
        out.put("message", "node-agent of " + node + " (" + agents.baseUrl(node) + ") could not confirm: "
                + (r.status() == 0 ? "" : "HTTP " + r.status() + " ") + r.error());
        return Response.status(r.status() == 404 ? 422 : 502).entity(out).build();
    }

    private static ObservationRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiError(400, "request body is empty: a JSON object {endpoint, name, ips, ttl} is required");
        }
        try {
            ObservationRequest r = STRICT.readValue(body, ObservationRequest.class);
            if (r == null) {
                throw new ApiError(400, "request body is null: a JSON object is required");
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "cannot read request body: " + e.getMessage());
        }
    }

    private static String validEndpoint(String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) {
            throw new ApiError(422, "endpoint: required, as namespace/name");
        }
        String[] p = endpoint.split("/", -1);
        if (p.length != 2 || !K8S_NAME.matcher(p[0]).matches() || !K8S_NAME.matcher(p[1]).matches()) {
            throw new ApiError(422, "endpoint: '" + endpoint + "' is not namespace/name");
        }
        return endpoint;
    }

    private static String validName(String name) {
        if (name == null || name.isEmpty()) {
            throw new ApiError(422, "name: required (the DNS question name)");
        }
        if (name.length() > 254 || !NAME.matcher(name).matches()) {
            throw new ApiError(422, "name: '" + name + "' is not a DNS name");
        }
        return name;
    }

    private static List<String> validIps(List<String> ips) {
        if (ips == null || ips.isEmpty()) {
            throw new ApiError(422, "ips: at least one address is required");
        }
        if (ips.size() > MAX_IPS) {
            throw new ApiError(422, "ips: at most " + MAX_IPS + " addresses per answer");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            try {
                out.add(IpAddress.parse(ip).toString());
            } catch (RuntimeException e) {
                throw new ApiError(422, "ips[" + i + "]: '" + ip + "' is not an IP address");
            }
        }
        return new ArrayList<>(out);
    }

    /** The endpoint's node; a registration may not have reached this service yet, so wait a little. */
    private String awaitNode(String endpoint) throws InterruptedException {
        long until = System.nanoTime() + config.endpointWait().toNanos();
        while (true) {
            String node = service.nodeOf(endpoint);
            if (node != null) {
                return node;
            }
            if (System.nanoTime() >= until) {
                throw new ApiError(422, "endpoint: no endpoint " + endpoint + " is registered");
            }
            Thread.sleep(20);
        }
    }
}
