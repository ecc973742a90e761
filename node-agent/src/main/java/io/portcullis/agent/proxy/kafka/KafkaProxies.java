package io.portcullis.agent.proxy.kafka;

import io.portcullis.agent.connections.ConnectionTracker;
import io.portcullis.agent.flow.FlowHub;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.state.NodeState;
import io.portcullis.kafkaproxy.BrokerRoute;
import io.portcullis.kafkaproxy.KafkaProxy;
import io.portcullis.kafkaproxy.spi.Source;
import io.portcullis.kafkaproxy.spi.SourceResolver;
import io.portcullis.policy.ip.IpAddress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs a Kafka proxy ({@link KafkaProxy}, module kafka-proxy) per local endpoint address × port whose
 * registration names a {@code kafka://} backend, kept in step with the node state (registrations,
 * deregistrations, replays after a restart). Each proxy listens on the endpoint's address, forwards to the
 * broker, decides every request with {@link KafkaVerdicts} and hands its flows to the {@link FlowHub}.
 */
@ApplicationScoped
public class KafkaProxies {

    private static final Logger LOG = Logger.getLogger(KafkaProxies.class);

    private final NodeState state;
    private final ClusterIdentities cluster;
    private final FlowHub flows;
    private final ConnectionTracker connections;
    private final int ioThreads;
    private final Map<String, Running> running = new HashMap<>(); // guarded by this
    private boolean stopped; // guarded by this: a state change after shutdown starts nothing

    private record Running(KafkaListener listener, KafkaProxy proxy) {}

    public KafkaProxies(NodeState state, ClusterIdentities cluster, FlowHub flows, ConnectionTracker connections,
                        @ConfigProperty(name = "portcullis.proxy.kafka.io-threads", defaultValue = "1") int ioThreads) {
        this.state = state;
        this.cluster = cluster;
        this.flows = flows;
        this.connections = connections;
        this.ioThreads = ioThreads;
    }

    void start(@Observes StartupEvent ev) {
        state.onChange(this::reconcile);
        reconcile();
    }

    synchronized void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        running.values().forEach(r -> r.proxy().close());
        running.clear();
    }

    /** The listeners running now, by {@code ip:port}. */
    public synchronized Map<String, KafkaListener> listeners() {
        Map<String, KafkaListener> out = new TreeMap<>();
        running.forEach((k, r) -> out.put(k, r.listener()));
        return out;
    }

    /** Brings the running proxies in line with the registrations; cheap when nothing changed. */
    synchronized void reconcile() {
        if (stopped) {
            return;
        }
        Map<String, KafkaListener> desired = desired(state.snapshot());
        for (String address : Set.copyOf(running.keySet())) {
            KafkaListener want = desired.get(address);
            if (want == null || !want.equals(running.get(address).listener())) { // gone, or another broker
                running.remove(address).proxy().close();
                LOG.infof("Kafka proxy listener %s closed", address);
            }
        }
        desired.forEach((address, l) -> {
            if (running.containsKey(address)) {
                return;
            }
            KafkaProxy proxy = new KafkaProxy(
                    List.of(new BrokerRoute(new InetSocketAddress(l.ip(), l.port()),
                            new InetSocketAddress(l.brokerHost(), l.brokerPort()))),
                    new Sources(l.ip()),
                    (source, broker, request) -> KafkaVerdicts.decide(state.snapshot(), cluster,
                            source.address().getAddress().getHostAddress(), l.ip(), l.port(), request),
                    flow -> flows.accept(KafkaVerdicts.flow(state.snapshot(), cluster, l.ip(), l.port(), flow)),
                    ioThreads);
            try {
                proxy.start();
                running.put(address, new Running(l, proxy));
                LOG.infof("Kafka proxy listener %s for %s -> %s:%d", address, l.endpoint(), l.brokerHost(),
                        l.brokerPort());
            } catch (InterruptedException e) {
                proxy.close();
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                proxy.close();
                LOG.errorf("Kafka proxy cannot listen on %s for %s: %s", address, l.endpoint(), e.getMessage());
            }
        });
    }

    /** Names each connection's source, and counts it as a live connection to the listener's address. */
    private final class Sources implements SourceResolver {
        private final String destination;
        private final Map<InetSocketAddress, ConnectionTracker.Handle> open = new java.util.concurrent.ConcurrentHashMap<>();

        Sources(String destination) {
            this.destination = destination;
        }

        @Override
        public Source resolve(InetSocketAddress remote, InetSocketAddress local) {
            open.put(remote, connections.opened(remote.getAddress().getHostAddress(), destination));
            return source(remote);
        }

        @Override
        public void closed(Source source, InetSocketAddress local) {
            ConnectionTracker.Handle h = open.remove(source.address());
            if (h != null) {
                h.close();
            }
        }
    }

    /** The connection's source for logs: the local endpoint at that address, else its ipcache identity. */
    private Source source(InetSocketAddress remote) {
        IpAddress ip = IpAddress.parse(remote.getAddress().getHostAddress());
        LocalEndpoint e = state.snapshot().endpointAt(ip);
        return new Source(remote, e != null ? e.id() : Long.toString(cluster.lookup(ip).identity()));
    }

    static Map<String, KafkaListener> desired(NodeSnapshot node) {
        Map<String, KafkaListener> out = new TreeMap<>();
        for (LocalEndpoint e : node.endpoints().values()) {
            try {
                out.putAll(KafkaListener.of(e.id(), e.spec()));
            } catch (IllegalArgumentException bad) { // validated at registration; only a foreign writer gets here
                LOG.warnf("endpoint %s: ignoring Kafka backends: %s", e.id(), bad.getMessage());
            }
        }
        return out;
    }
}
