package io.portcullis.agent.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowSink;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Where every flow record goes: Prometheus counters (per verdict, and per verdict and policy), the
 * {@code flows-out} channel ({@code portcullis.flows}), the live {@code GET /v1/flows} subscribers, and a
 * small ring of recent flows ({@code ?last=N}). Called on proxy event loops: never blocks (a full Kafka
 * buffer drops flows, counted in {@code portcullis.flows.dropped}).
 */
@ApplicationScoped
public class FlowHub implements FlowSink {

    private static final Logger LOG = Logger.getLogger(FlowHub.class);
    static final int RECENT = 1024;

    private final MeterRegistry metrics;
    private final Emitter<Record<String, byte[]>> kafka;
    private final List<Consumer<FlowRecord>> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<FlowRecord> recent = new ArrayDeque<>(RECENT);
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Counter dropped;

    public FlowHub(MeterRegistry metrics,
                   @Channel("flows-out") @OnOverflow(value = OnOverflow.Strategy.DROP) Emitter<Record<String, byte[]>> kafka) {
        this.metrics = metrics;
        this.kafka = kafka;
        this.dropped = metrics.counter("portcullis.flows.dropped");
    }

    @Override
    public void accept(FlowRecord flow) {
        count(flow);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(flow);
        }
        for (Consumer<FlowRecord> s : subscribers) {
            s.accept(flow);
        }
        try {
            kafka.send(Record.of(flow.key(), MeshJson.encode(flow)));
        } catch (RuntimeException e) { // a full buffer or a closed channel must not fail the request
            dropped.increment();
            LOG.debugf("flow not sent to Kafka: %s", e.getMessage());
        }
    }

    /** The last {@code n} flows, oldest first. */
    public List<FlowRecord> recent(int n) {
        synchronized (recent) {
            List<FlowRecord> all = new ArrayList<>(recent);
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }

    public Runnable subscribe(Consumer<FlowRecord> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    private void count(FlowRecord flow) {
        String verdict = flow.verdict().name();
        counter(List.of(verdict, "", flow.origin())).increment();
        for (String policy : flow.policies()) {
            counter(List.of(verdict, policy, flow.origin())).increment();
        }
    }

    private Counter counter(List<String> key) {
        return counters.computeIfAbsent(key, k -> k.get(1).isEmpty()
                ? metrics.counter("portcullis.flows", "verdict", k.get(0), "origin", k.get(2))
                : metrics.counter("portcullis.flows.policy", "verdict", k.get(0), "policy", k.get(1), "origin", k.get(2)));
    }
}
