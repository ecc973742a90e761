package io.portcullis.dnsproxy;

import io.portcullis.dnsproxy.mesh.ObservationPublisher;
import io.portcullis.dnsproxy.mesh.RulesReplay;
import io.portcullis.dnsproxy.proxy.DnsProxy;
import io.portcullis.dnsproxy.proxy.Hold;
import io.portcullis.dnsproxy.proxy.ProxyStats;
import io.portcullis.mesh.runtime.TopicSpec;
import io.portcullis.mesh.runtime.TopicsConfig;
import io.portcullis.policy.ip.IpAddress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.xbill.DNS.Rcode;

/**
 * Wires the proxy: restores the rules snapshot, binds the DNS port at once (before anything waits for
 * Kafka), then replays the rules and starts publishing observations in the background.
 */
@ApplicationScoped
public class DnsProxyService {

    private static final Logger LOG = Logger.getLogger(DnsProxyService.class);

    private final ProxyStats stats = new ProxyStats();
    private final RulesReplay rules;
    private final ObservationPublisher publisher;
    private final DnsProxy proxy;
    private final Hold hold;
    private volatile boolean serving;

    public DnsProxyService(ProxyConfig config, Config kafkaConfig, TopicsConfig topics, Vertx vertx,
                           @ConfigProperty(name = "portcullis.node.name", defaultValue = "node-1") String node,
                           @ConfigProperty(name = "portcullis.dns.port", defaultValue = "10053") int port) {
        this.rules = new RulesReplay(node, config, kafkaConfig);
        this.publisher = new ObservationPublisher(node, config.topics().fqdnObservations(), kafkaConfig, stats,
                topics.topics().entrySet().stream().map(e -> TopicSpec.of(e.getKey(), e.getValue())).toList());
        this.hold = new Hold(vertx, config.nodeAgentUrl(), config.holdTimeout().toMillis(), stats);
        String[] upstream = hostPort(config.upstream());
        IpAddress server = IpAddress.of(resolve(config.serverAddress().orElse(upstream[0])));
        int denied = switch (config.deniedResponse().toUpperCase(Locale.ROOT)) {
            case "REFUSED" -> Rcode.REFUSED;
            case "NXDOMAIN" -> Rcode.NXDOMAIN;
            default -> throw new IllegalArgumentException("portcullis.dns-proxy.denied-response must be REFUSED or NXDOMAIN, got "
                    + config.deniedResponse());
        };
        DnsProxy.Settings settings = new DnsProxy.Settings(config.bindHost(), port, upstream[0],
                Integer.parseInt(upstream[1]), server, config.serverPort(), denied, config.upstreamTimeout().toMillis(),
                config.minTtl().toSeconds());
        this.proxy = new DnsProxy(vertx, settings, rules::view, hold, publisher, stats);
    }

    /** Before topic provisioning and the rest: a restart must not keep the DNS port unbound for long. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 100) StartupEvent event) throws Exception {
        rules.restore();
        proxy.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        serving = true;
        LOG.infof("DNS proxy listening on udp/%d and tcp/%d", proxy.udpPort(), proxy.tcpPort());
        rules.start();
        publisher.start();
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        rules.stop();
        publisher.stop();
        proxy.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        hold.close();
    }

    public boolean isServing() {
        return serving;
    }

    public RulesReplay rules() {
        return rules;
    }

    public ProxyStats stats() {
        return stats;
    }

    public int udpPort() {
        return proxy.udpPort();
    }

    public int tcpPort() {
        return proxy.tcpPort();
    }

    private static String[] hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("portcullis.dns-proxy.upstream must be host:port, got " + s);
        }
        String host = s.substring(0, colon).replace("[", "").replace("]", "");
        return new String[] {host, s.substring(colon + 1)};
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + host, e);
        }
    }
}
