package io.portcullis.dnsproxy.proxy;

import io.portcullis.dnsproxy.rules.EndpointKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds an answer that carries addresses not yet seen realized for the endpoint until node-agent says they
 * are allowed on the node ({@code POST /v1/endpoints/{ns}/{name}/await-ips}), at most {@code maxDelayMs},
 * so the client's first connection to a new address is not dropped by a map that does not have it yet.
 * Runs on the proxy's event loop only (no locking): the seen sets and the callbacks stay on it.
 */
public final class Hold {

    /** Bounds the addresses remembered per endpoint; past it that endpoint's set starts over. */
    static final int SEEN_LIMIT = 65_536;

    private final Vertx vertx;
    private final HttpClient http;
    private final String host;
    private final int port;
    private final String basePath;
    private final long maxDelayMs;
    private final ProxyStats stats;
    /** Per endpoint incarnation: a re-created pod of the same name starts with nothing seen. */
    private final Map<EndpointKey, Set<String>> seen = new HashMap<>();

    public Hold(Vertx vertx, String nodeAgentUrl, long maxDelayMs, ProxyStats stats) {
        this.vertx = vertx;
        URI uri = URI.create(nodeAgentUrl);
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : 80;
        this.basePath = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        this.maxDelayMs = maxDelayMs;
        this.stats = stats;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(16)
                .setConnectTimeout((int) Math.max(maxDelayMs, 50)));
    }

    /**
     * Calls {@code release} once: now when every address was seen realized for {@code endpoint}, else when
     * node-agent answers or {@code maxDelayMs} has passed, whichever comes first.
     */
    public void hold(EndpointKey endpoint, List<String> ips, Runnable release) {
        Set<String> known = seen.computeIfAbsent(endpoint, e -> new HashSet<>());
        List<String> fresh = ips.stream().filter(ip -> !known.contains(ip)).toList();
        if (fresh.isEmpty() || maxDelayMs <= 0) {
            release.run();
            return;
        }
        stats.held.increment();
        long start = System.nanoTime();
        boolean[] done = new boolean[1];
        Runnable once = () -> {
            if (!done[0]) {
                done[0] = true;
                stats.holdReleased(System.nanoTime() - start);
                release.run();
            }
        };
        long timer = vertx.setTimer(maxDelayMs, t -> {
            if (!done[0]) {
                stats.holdTimeouts.increment();
                once.run();
            }
        });
        String id = endpoint.id();
        int slash = id.indexOf('/');
        String path = basePath + "/v1/endpoints/" + enc(id.substring(0, slash)) + "/"
                + enc(id.substring(slash + 1)) + "/await-ips";
        Buffer body = new JsonObject().put("ips", new JsonArray(List.copyOf(fresh))).put("timeoutMs", maxDelayMs).toBuffer();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(path)
                        .putHeader("content-type", "application/json").setTimeout(maxDelayMs + 1000))
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b : null))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() != null && realized(ar.result())) {
                        if (known.size() + fresh.size() > SEEN_LIMIT) {
                            known.clear();
                        }
                        known.addAll(fresh);
                        stats.holdRealized.increment();
                        if (!done[0]) {
                            vertx.cancelTimer(timer);
                            once.run();
                        }
                    } else if (!done[0]) {
                        // Not realized in time (node-agent timed out), unknown endpoint, or node-agent down:
                        // the answer goes now; holding longer would only delay the client.
                        if (ar.succeeded() && ar.result() != null) {
                            stats.holdTimeouts.increment();
                        } else {
                            stats.holdErrors.increment();
                        }
                        vertx.cancelTimer(timer);
                        once.run();
                    }
                });
    }

    /** Drops what was seen for incarnations that are gone (event loop only, as {@link #hold}). */
    public void retain(Set<EndpointKey> live) {
        seen.keySet().retainAll(live);
    }

    private static boolean realized(Buffer body) {
        try {
            return new JsonObject(body).getBoolean("realized", false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public void close() {
        http.close();
    }
}
