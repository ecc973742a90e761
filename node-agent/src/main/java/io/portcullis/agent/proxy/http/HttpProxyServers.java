package io.portcullis.agent.proxy.http;

import io.portcullis.agent.flow.FlowHub;
import io.portcullis.agent.connections.ConnectionTracker;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.state.NodeState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs the HTTP proxy's listeners: one per endpoint address × port with a registered backend (kept in step
 * with the node state: registrations, deregistrations, also those replayed after a restart), and the
 * egress forward proxy when {@code portcullis.proxy.http.egress-port} is set. HTTP/1.1 with keep-alive and
 * h2c (prior knowledge or upgrade) on every listener.
 */
@ApplicationScoped
public class HttpProxyServers {

    private static final Logger LOG = Logger.getLogger(HttpProxyServers.class);

    private final Vertx vertx;
    private final NodeState state;
    private final HttpProxyConfig config;
    private final HttpProxy proxy;
    private final Map<String, Running> running = new HashMap<>(); // guarded by this
    private final List<HttpServer> egress = new ArrayList<>();

    /** A listener's servers; the listener is swapped in place when only its backend changes. */
    private record Running(AtomicReference<ProxyListener> listener, List<HttpServer> servers) {}

    /**
     * The proxy runs on a Vert.x of its own: its event loops serve only proxied traffic (never the REST API
     * or Kafka callbacks), and Quarkus' HTTP server metrics, which instrument the application's Vert.x, do
     * not count proxied requests (flows have their own counters).
     */
    public HttpProxyServers(NodeState state, ClusterIdentities cluster, FlowHub flows, HttpProxyConfig config,
                            ConnectionTracker connections) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.instances()).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.state = state;
        this.config = config;
        this.proxy = new HttpProxy(state, cluster, flows, () -> vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setIdleTimeout(60),
                new PoolOptions().setHttp1MaxSize(config.maxPoolSize())), connections);
    }

    void start(@Observes StartupEvent ev) {
        state.onChange(this::reconcile);
        reconcile();
        if (config.egressPort() > 0) {
            for (int i = 0; i < config.instances(); i++) {
                HttpServer s = vertx.createHttpServer(serverOptions()).requestHandler(proxy::egress);
                s.listen(config.egressPort(), config.egressHost()).toCompletionStage().toCompletableFuture().join();
                egress.add(s);
            }
            LOG.infof("HTTP egress forward proxy on %s:%d", config.egressHost(), config.egressPort());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        synchronized (this) {
            running.values().forEach(r -> r.servers().forEach(HttpServer::close));
            running.clear();
        }
        egress.forEach(HttpServer::close);
        vertx.close();
    }

    /** The listeners running now, by {@code ip:port}. */
    public synchronized Map<String, ProxyListener> listeners() {
        Map<String, ProxyListener> out = new TreeMap<>();
        running.forEach((k, r) -> out.put(k, r.listener().get()));
        return out;
    }

    /** Brings the running listeners in line with the registrations; cheap when nothing changed. */
    synchronized void reconcile() {
        Map<String, ProxyListener> desired = desired(state.snapshot());
        for (String gone : Set.copyOf(running.keySet())) {
            if (!desired.containsKey(gone)) {
                running.remove(gone).servers().forEach(HttpServer::close);
                LOG.infof("HTTP proxy listener %s closed", gone);
            }
        }
        desired.forEach((address, l) -> {
            Running r = running.get(address);
            if (r != null) {
                r.listener().set(l);
                return;
            }
            AtomicReference<ProxyListener> ref = new AtomicReference<>(l);
            List<HttpServer> servers = new ArrayList<>();
            for (int i = 0; i < config.instances(); i++) {
                HttpServer s = vertx.createHttpServer(serverOptions())
                        .requestHandler(req -> proxy.ingress(req, ref.get()));
                Future<HttpServer> f = s.listen(l.port(), l.ip());
                f.onSuccess(x -> LOG.debugf("HTTP proxy listening on %s", address))
                        .onFailure(e -> LOG.errorf("HTTP proxy cannot listen on %s for %s: %s", address, l.endpoint(),
                                e.getMessage()));
                servers.add(s);
            }
            running.put(address, new Running(ref, servers));
            LOG.infof("HTTP proxy listener %s for %s -> %s:%d", address, l.endpoint(), l.backendHost(),
                    l.backendPort());
        });
    }

    static Map<String, ProxyListener> desired(NodeSnapshot node) {
        Map<String, ProxyListener> out = new TreeMap<>();
        for (LocalEndpoint e : node.endpoints().values()) {
            try {
                out.putAll(ProxyListener.of(e.id(), e.spec()));
            } catch (IllegalArgumentException bad) { // validated at registration; only a foreign writer gets here
                LOG.warnf("endpoint %s: ignoring backends: %s", e.id(), bad.getMessage());
            }
        }
        return out;
    }

    private static HttpServerOptions serverOptions() {
        return new HttpServerOptions().setHttp2ClearTextEnabled(true).setTcpNoDelay(true).setIdleTimeout(120)
                .setReuseAddress(true);
    }
}
