package io.portcullis.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * policy-api, node-agent and fqdn-cache-service faked on one loopback port, just enough for the
 * runner: policies are stored by path, endpoints become ready after {@code pollsUntilReady} polls at
 * the newest revision, a verdict is ALLOWED only on port 80, a policy named {@code bad} is refused
 * with 422 at {@code spec.ingress[0].toPorts[0].ports[0].port}.
 */
final class FakeStack implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpServer server;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> policies = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, String> endpoints = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Integer> polls = Collections.synchronizedMap(new LinkedHashMap<>());
    volatile long revision = 5;
    volatile int pollsUntilReady = 2;
    volatile boolean observationsImplemented = false;
    volatile boolean neverReady = false;

    FakeStack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests as {@code METHOD path}, in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        try {
            route(ex, method, path, body);
        } catch (RuntimeException e) {
            send(ex, 500, "{\"message\":\"" + e + "\"}");
        }
    }

    private synchronized void route(HttpExchange ex, String method, String path, String body) throws IOException {
        if (path.equals("/v1/policies") && method.equals("GET")) {
            send(ex, 200, "{\"items\":[]}");
        } else if (path.equals("/v1/policies") && method.equals("POST")) {
            if (body.contains("name: bad")) {
                send(ex, 422, """
                        {"kind":"Status","code":422,"reason":"Invalid","details":{"causes":[
                          {"field":"spec.ingress[0].toPorts[0].ports[0].port","message":"must be 0-65535"}]}}""");
                return;
            }
            revision++;
            policies.put("/v1/namespaces/default/ciliumnetworkpolicies/allow-client", body);
            send(ex, 200, "{\"revision\":" + revision + ",\"items\":[{\"apiVersion\":\"cilium.io/v2\","
                    + "\"kind\":\"CiliumNetworkPolicy\",\"metadata\":{\"name\":\"allow-client\",\"namespace\":\"default\"}}]}");
        } else if (path.startsWith("/v1/namespaces/") || path.startsWith("/v1/ciliumclusterwidenetworkpolicies/")) {
            if (policies.remove(path) == null) {
                send(ex, 404, "{\"kind\":\"Status\",\"code\":404}");
            } else {
                revision++;
                send(ex, 200, "{\"revision\":" + revision + "}");
            }
        } else if (path.equals("/v1/endpoints") && method.equals("GET")) {
            send(ex, 200, "[]");
        } else if (path.equals("/v1/endpoints") && method.equals("POST")) {
            JsonNode n = JSON.readTree(body);
            String id = n.path("namespace").asText() + "/" + n.path("name").asText();
            String old = endpoints.get(id);
            if (old != null && !old.equals(body)) {
                send(ex, 409, "{\"message\":\"a different endpoint exists under " + id + "\"}");
                return;
            }
            endpoints.put(id, body);
            send(ex, old == null ? 201 : 200, "{\"id\":\"" + id + "\",\"identity\":1234}");
        } else if (path.startsWith("/v1/endpoints/")) {
            String id = path.substring("/v1/endpoints/".length());
            if (!endpoints.containsKey(id)) {
                send(ex, 404, "{\"message\":\"no endpoint " + id + "\"}");
            } else if (method.equals("DELETE")) {
                endpoints.remove(id);
                polls.remove(id);
                send(ex, 204, null);
            } else {
                int n = polls.merge(id, 1, Integer::sum);
                boolean ready = !neverReady && n > pollsUntilReady;
                send(ex, 200, "{\"id\":\"" + id + "\",\"state\":\"" + (ready ? "ready" : "regenerating")
                        + "\",\"policyRevision\":" + (ready ? revision : revision - 1) + "}");
            }
        } else if (path.equals("/v1/verdicts")) {
            polls.clear(); // the next step polls again from zero
            JsonNode n = JSON.readTree(body);
            boolean allowed = n.path("port").asInt() == 80;
            send(ex, 200, "{\"verdict\":\"" + (allowed ? "ALLOWED" : "DENIED") + "\",\"reason\":\""
                    + (allowed ? "allowed by allow-client" : "no rule allows port " + n.path("port").asInt())
                    + "\",\"policies\":" + (allowed ? "[\"default/allow-client\"]" : "[]") + "}");
        } else if (path.equals("/v1/fqdn/observations") && observationsImplemented) {
            revision++;
            send(ex, 200, "{\"revision\":" + revision + "}");
        } else {
            send(ex, 404, "{\"message\":\"not found\"}");
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
