package io.portcullis.agent.proxy.http;

import io.portcullis.agent.connections.ConnectionTracker;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowSink;
import io.portcullis.agent.flow.FlowRecords;
import io.portcullis.agent.proxy.kafka.KafkaListener;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.l7.http.HttpRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The request path of the HTTP proxy: identify the client by its address, decide with the realized map of
 * this moment, answer {@code 403 Access denied} for an HTTP-rule deny, drop the connection for an L3/L4
 * deny, else forward to the backend and stream the response back. One flow record per request.
 *
 * <p>Runs on Vert.x event loops; nothing here blocks.
 */
public final class HttpProxy {

    private static final Logger LOG = Logger.getLogger(HttpProxy.class);
    static final String ORIGIN = "http-proxy";

    /** Hop-by-hop headers (RFC 9110 §7.6.1): never forwarded. */
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings");

    private final NodeState state;
    private final ClusterIdentities cluster;
    private final FlowSink flows;
    /**
     * One backend client (and so one keep-alive pool) per event loop: a pooled connection is made on the
     * loop that asked for it, so requests and their backend connections never hop between loops.
     */
    private final ThreadLocal<HttpClient> clients;
    private final ConnectionTracker connections;

    /** @param newClient makes the backend client of one event loop */
    public HttpProxy(NodeState state, ClusterIdentities cluster, FlowSink flows, Supplier<HttpClient> newClient,
                     ConnectionTracker connections) {
        this.state = state;
        this.cluster = cluster;
        this.flows = flows;
        this.clients = ThreadLocal.withInitial(newClient);
        this.connections = connections;
    }

    /** A request to a local endpoint's address, on its ingress listener. */
    public void ingress(HttpServerRequest req, ProxyListener listener) {
        String path = req.uri();
        handle(req, listener.ip(), listener.port(), path, listener.backendHost(), listener.backendPort());
    }

    /** A request to the explicit forward proxy (absolute-form target, {@code curl -x}). */
    public void egress(HttpServerRequest req) {
        if (req.method() == HttpMethod.CONNECT) {
            plain(req.response(), 405, "CONNECT is not supported: the proxy enforces HTTP rules on plain HTTP only");
            return;
        }
        URI uri;
        try {
            uri = new URI(req.uri());
        } catch (Exception e) {
            plain(req.response(), 400, "bad request target: " + e.getMessage());
            return;
        }
        if (!uri.isAbsolute() || uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())) {
            plain(req.response(), 400, "a forward-proxy request needs an absolute http:// target, got " + req.uri());
            return;
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        try {
            host = IpAddress.parse(host).toString();
        } catch (IllegalArgumentException e) {
            plain(req.response(), 400, "the target host must be an IP address (identities are per address): " + host);
            return;
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        handle(req, host, port, path, null, 0);
    }

    /**
     * @param backendHost where to forward; null: to {@code dstIp:port} itself, or to the destination
     *                    endpoint's registered backend for that port when it has one
     */
    private void handle(HttpServerRequest req, String dstIp, int port, String path, String backendHost,
                        int backendPort) {
        String srcIp = req.remoteAddress().hostAddress();
        String authority = req.host();
        HttpRequest request = new HttpRequest(req.method().name(), path, authority, headers(req.headers()));
        ProxyDecision d;
        try {
            d = ProxyDecision.decide(state.snapshot(), cluster, srcIp, dstIp, port, request);
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot decide %s %s from %s", req.method(), path, srcIp);
            plain(req.response(), 500, "proxy error");
            return;
        }
        switch (d.action()) {
            case DROP -> {
                flow(d, port, request, null);
                req.response().reset();
            }
            case FORBID -> {
                flow(d, port, request, 403);
                plain(req.response(), 403, "Access denied");
            }
            case FORWARD -> {
                String host = backendHost;
                int bport = backendPort;
                if (host == null) {
                    host = dstIp;
                    bport = port;
                    if (d.destinationEndpoint() != null) {
                        String b = d.destinationEndpoint().spec().backendsOrEmpty().get(Integer.toString(port));
                        if (b != null && !KafkaListener.isKafka(b)) {
                            ProxyListener.Backend backend = ProxyListener.Backend.parse(b);
                            host = backend.host();
                            bport = backend.port();
                        }
                    }
                }
                forward(req, d, port, request, path, host, bport);
            }
        }
    }

    private void forward(HttpServerRequest req, ProxyDecision d, int port, HttpRequest request, String path,
                         String host, int bport) {
        // The decision already resolved the source: only a local endpoint's exchanges count.
        live(req.response(), connections.openedBy(d.source().endpoint(), d.destination().ip()));
        RequestOptions o = new RequestOptions().setMethod(req.method()).setHost(host).setPort(bport).setURI(path);
        MultiMap out = HttpHeaders.headers();
        copy(req.headers(), out, false);
        if (!out.contains(HttpHeaders.HOST) && req.host() != null) {
            out.set(HttpHeaders.HOST, req.host());
        }
        o.setHeaders(out);
        boolean body = req.version() == HttpVersion.HTTP_2 ? !req.isEnded() : hasBody(req.headers());
        req.pause();
        HttpServerResponse resp = req.response();
        clients.get().request(o).compose(creq -> body ? creq.send(req) : creq.send()).onComplete(ar -> {
            if (ar.failed()) {
                req.resume();
                flow(d, port, request, 502);
                if (!resp.ended() && !resp.closed()) {
                    plain(resp, 502, "upstream unavailable");
                }
                return;
            }
            HttpClientResponse cres = ar.result();
            resp.setStatusCode(cres.statusCode());
            copy(cres.headers(), resp.headers(), req.version() == HttpVersion.HTTP_2);
            if (!body) {
                req.resume();
            }
            resp.send(cres);
            flow(d, port, request, cres.statusCode());
        });
    }

    private void flow(ProxyDecision d, int port, HttpRequest request, Integer status) {
        flows.accept(FlowRecords.of(state.node(), ORIGIN, d.source(), d.destination(), port, "TCP", d.outcome(),
                d.verdict().reason(), new FlowRecord.Http(request.method(), request.path(), request.host(), status),
                null, null));
    }

    /** The forwarded exchange counts as a live connection until its response ends or the client goes. */
    private static void live(HttpServerResponse resp, ConnectionTracker.Handle open) {
        resp.endHandler(v -> open.close());
        resp.closeHandler(v -> open.close());
        if (resp.closed()) {
            open.close();
        }
    }

    private static boolean hasBody(MultiMap headers) {
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return headers.contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
    }

    /**
     * Copies end-to-end headers. Names are lower-cased only towards an HTTP/2 peer (it requires them so);
     * HTTP/1 does not care, and the backend is always spoken to in HTTP/1.1.
     */
    private static void copy(MultiMap from, MultiMap to, boolean lowerCase) {
        String connection = from.get(HttpHeaders.CONNECTION);
        String[] listed = connection == null ? NONE : connection.split(",");
        for (Map.Entry<String, String> h : from) {
            String name = h.getKey();
            if (name.startsWith(":") || hopByHop(name) || listedIn(listed, name)) {
                continue;
            }
            to.add(lowerCase ? lower(name) : name, h.getValue());
        }
    }

    private static final String[] NONE = {};

    private static boolean hopByHop(String name) {
        for (String h : HOP_BY_HOP) {
            if (h.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** A name the {@code Connection} header lists (RFC 9110 §7.6.1: hop-by-hop too). */
    private static boolean listedIn(String[] listed, String name) {
        for (String token : listed) {
            if (token.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Most names arrive lower-case already (HTTP/2 always, curl and wrk mostly): no copy for those. */
    private static String lower(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    private static Map<String, List<String>> headers(MultiMap in) {
        Map<String, List<String>> out = new HashMap<>();
        for (Map.Entry<String, String> h : in) {
            out.computeIfAbsent(h.getKey(), k -> new ArrayList<>(1)).add(h.getValue());
        }
        return out;
    }

    private static void plain(HttpServerResponse resp, int status, String body) {
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(body);
    }
}
