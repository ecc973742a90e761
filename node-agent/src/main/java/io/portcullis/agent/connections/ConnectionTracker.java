package io.portcullis.agent.connections;

import io.portcullis.agent.AgentConfig;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.fqdn.ConnectionRecord;
import io.portcullis.policy.ip.IpAddress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * The connections node-agent's proxies carry (HTTP proxy requests being forwarded, Kafka proxy
 * connections), so fqdn-cache-service can keep an expired FQDN IP while a local endpoint still talks to it
 * (CILIUM-SEMANTICS §4.4 zombies). A proxy calls {@link #opened} when it starts forwarding and closes the
 * handle when that ends. Every {@code report-interval} what changed is published as a
 * {@link ConnectionRecord} lease on the {@code connections-out} channel (tombstone when the last connection
 * closed); live pairs are rewritten every third of the lease.
 */
@ApplicationScoped
public class ConnectionTracker {

    private static final Logger LOG = Logger.getLogger(ConnectionTracker.class);

    /** Close once when the connection ends; further closes do nothing. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    private static final Handle NONE = () -> {};

    private final NodeState state;
    private final Emitter<Record<String, byte[]>> emitter;
    private final long leaseMs;
    private final long intervalMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("connection-reports").unstarted(r));
    private final ConnectionTable table = new ConnectionTable();
    private long lastRefresh;

    public ConnectionTracker(NodeState state, @Channel("connections-out") Emitter<Record<String, byte[]>> emitter,
                             AgentConfig config) {
        this.state = state;
        this.emitter = emitter;
        this.leaseMs = config.connections().lease().toMillis();
        this.intervalMs = Math.max(10, config.connections().reportInterval().toMillis());
    }

    /** A timer of its own (not {@code @Scheduled}: that could run before the Kafka channel is connected). */
    void start(@Observes StartupEvent ev) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                report();
            } catch (RuntimeException e) {
                LOG.warnf(e, "connection report failed");
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        timer.shutdownNow();
    }

    /**
     * A proxied connection from {@code sourceIp} to {@code destinationIp} opened. Only a local endpoint's
     * connections count (the cache is per endpoint); for any other source the handle does nothing.
     */
    public Handle opened(String sourceIp, String destinationIp) {
        LocalEndpoint src;
        try {
            src = state.snapshot().endpointAt(IpAddress.parse(sourceIp));
        } catch (RuntimeException e) { // no or no valid address: nothing to track
            return NONE;
        }
        return src == null ? NONE : openedBy(src.id(), destinationIp);
    }

    /**
     * The same for a source already resolved (a proxy decision's source peer): {@code endpoint} is the local
     * endpoint's id, or null for any other source, which costs nothing on the request path.
     */
    public Handle openedBy(String endpoint, String destinationIp) {
        if (endpoint == null) {
            return NONE;
        }
        String dst;
        try {
            dst = IpAddress.parse(destinationIp).toString();
        } catch (RuntimeException e) {
            return NONE;
        }
        ConnectionTable.Pair pair = new ConnectionTable.Pair(endpoint, dst);
        table.opened(pair);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                table.closed(pair);
            }
        };
    }

    /** Open connections from the endpoint to the IP now. */
    public int count(String endpoint, String ip) {
        return table.count(new ConnectionTable.Pair(endpoint, ip));
    }

    synchronized void report() {
        long now = System.currentTimeMillis();
        boolean refresh = now - lastRefresh >= leaseMs / 3;
        if (refresh) {
            lastRefresh = now;
        }
        for (ConnectionTable.Report r : table.due(refresh)) {
            String key = ConnectionRecord.key(state.node(), r.pair().endpoint(), r.pair().ip());
            byte[] value = r.connections() == 0 ? null : MeshJson.encode(ConnectionRecord.of(state.node(),
                    r.pair().endpoint(), r.pair().ip(), r.connections(), now, leaseMs));
            try {
                emitter.send(Record.of(key, value)).whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warnf("cannot report connection %s: %s", key, e.getMessage());
                        table.failed(r);
                    }
                });
            } catch (RuntimeException e) { // emitter buffer full or channel down
                LOG.warnf("cannot report connection %s: %s", key, e.getMessage());
                table.failed(r);
            }
        }
    }
}
