package io.portcullis.dnsproxy.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stands in for node-agent's {@code POST /v1/endpoints/{ns}/{name}/await-ips} (built in parallel by
 * another helper; the one stand-in the brief allows): answers {@code realized: true} after
 * {@code realizeAfterMs}, or {@code realized: false} once the request's {@code timeoutMs} is up when that
 * is shorter. Records every request.
 */
public final class AgentStandIn implements AutoCloseable {

    public record AwaitRequest(String path, List<String> ips, long timeoutMs) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    public final List<AwaitRequest> requests = new CopyOnWriteArrayList<>();
    public volatile long realizeAfterMs = 0;

    public AgentStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/endpoints/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!"POST".equals(ex.getRequestMethod()) || !path.endsWith("/await-ips")) {
            send(ex, 404, "{}");
            return;
        }
        JsonNode body = JSON.readTree(ex.getRequestBody());
        List<String> ips = new java.util.ArrayList<>();
        body.get("ips").forEach(n -> ips.add(n.asText()));
        long timeout = body.get("timeoutMs").asLong();
        requests.add(new AwaitRequest(path, ips, timeout));
        long wait = Math.min(realizeAfterMs, timeout);
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean realized = realizeAfterMs <= timeout;
        send(ex, 200, "{\"realized\":" + realized + ",\"identities\":{}}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
