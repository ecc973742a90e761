package io.portcullis.agent.flow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowSink;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Where every flow record goes: Prometheus counters (per verdict, and per verdict and policy), the
 * {@code flows-out} channel ({@code portcullis.flows}), the live {@code GET /v1/flows} subscribers, and a
 * small ring of recent flows ({@code ?last=N}).
 *
 * <p>{@link #accept} is called on proxy event loops for every request, so it only appends the record to a
 * bounded lock-free queue; one dispatcher thread does the rest (counters, ring, subscribers, JSON encoding,
 * the Kafka send) in arrival order. A full queue drops the flow and counts it in
 * {@code portcullis.flows.dropped}; it never blocks. Subscribing and the replay of recent flows happen
 * under the ring's lock, which the dispatcher holds while it appends and fans out: a subscriber sees every
 * flow once, none falls between its replay and its live stream.
 */
@ApplicationScoped
public class FlowHub implements FlowSink {

    private static final Logger LOG = Logger.getLogger(FlowHub.class);
    static final int RECENT = 1024;
    /** Flows waiting for the dispatcher; at ~40k flows/s that is over a second of slack. */
    static final int QUEUE = 65_536;
    /** The dispatcher naps this long when it found nothing, so a busy proxy never has to wake it. */
    private static final long NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final MeterRegistry metrics;
    private final KafkaClientService kafkaClients;
    private final String topic;
    private Producer<String, byte[]> kafka; // the dispatcher's
    private final Callback sent;
    private final ConcurrentLinkedQueue<FlowRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ArrayDeque<FlowRecord> recent = new ArrayDeque<>(RECENT); // guarded by itself
    private final List<Consumer<FlowRecord>> subscribers = new ArrayList<>(); // guarded by recent
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Counter dropped;
    private final Thread dispatcher;
    private volatile boolean parked;
    private volatile boolean stopping;

    /**
     * @param channel the {@code flows-out} channel: injected so the connector creates its producer (and
     *                the channel's configuration stays the one place for topic and producer settings), but
     *                flows go to that producer directly: the channel's per-record acknowledgement
     *                machinery cost more than everything else a flow needs
     */
    public FlowHub(MeterRegistry metrics, KafkaClientService kafkaClients,
                   @Channel("flows-out") @OnOverflow(value = OnOverflow.Strategy.DROP) Emitter<Record<String, byte[]>> channel,
                   @ConfigProperty(name = "mp.messaging.outgoing.flows-out.topic") String topic) {
        this.metrics = metrics;
        this.kafkaClients = kafkaClients;
        this.topic = topic;
        this.dropped = metrics.counter("portcullis.flows.dropped");
        Counter failed = metrics.counter("portcullis.flows.send.failed");
        this.sent = (meta, e) -> {
            if (e != null) {
                failed.increment();
            }
        };
        metrics.gauge("portcullis.flows.queued", queued);
        this.dispatcher = Thread.ofPlatform().name("portcullis-flows").daemon().unstarted(this::dispatch);
    }

    @PostConstruct
    void start() {
        dispatcher.start();
    }

    /** Never blocks: queues the flow for the dispatcher, or drops it (counted) when the queue is full. */
    @Override
    public void accept(FlowRecord flow) {
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.offer(flow);
        if (parked) {
            LockSupport.unpark(dispatcher);
        }
    }

    /** The last {@code n} flows the dispatcher has handled, oldest first. */
    public List<FlowRecord> recent(int n) {
        synchronized (recent) {
            List<FlowRecord> all = new ArrayList<>(recent);
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }

    public Runnable subscribe(Consumer<FlowRecord> subscriber) {
        return subscribe(subscriber, 0);
    }

    /**
     * Hands the subscriber the last {@code replay} flows, then every later one, each exactly once. Called on
     * the dispatcher thread (and on the caller's for the replay): the subscriber must not block.
     */
    public Runnable subscribe(Consumer<FlowRecord> subscriber, int replay) {
        synchronized (recent) {
            int skip = Math.max(0, recent.size() - replay);
            for (FlowRecord f : recent) {
                if (skip-- <= 0) {
                    subscriber.accept(f);
                }
            }
            subscribers.add(subscriber);
        }
        return () -> {
            synchronized (recent) {
                subscribers.remove(subscriber);
            }
        };
    }

    /** Counts a flow a subscriber could not take (its buffer was full). */
    void droppedForSubscriber() {
        metrics.counter("portcullis.flows.subscriber.dropped").increment();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        LockSupport.unpark(dispatcher);
        try {
            dispatcher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch() {
        boolean napped = false;
        while (true) {
            FlowRecord flow = queue.poll();
            if (flow != null) {
                queued.decrementAndGet();
                napped = false;
                try {
                    handle(flow);
                } catch (RuntimeException e) { // one bad flow or subscriber must not stop the dispatcher
                    LOG.warnf(e, "flow dispatch failed");
                }
                continue;
            }
            if (stopping) {
                return;
            }
            if (!napped) { // a short nap batches the next flows without anyone having to wake us
                napped = true;
                LockSupport.parkNanos(NAP_NANOS);
                continue;
            }
            parked = true;
            if (queue.isEmpty() && !stopping) { // re-checked after announcing: an offer now sees parked
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            parked = false;
            napped = false;
        }
    }

    private void handle(FlowRecord flow) {
        count(flow);
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeFirst();
            }
            recent.addLast(flow);
            for (Consumer<FlowRecord> s : subscribers) {
                s.accept(flow);
            }
        }
        try {
            if (kafka == null) {
                kafka = kafkaClients.<String, byte[]>getProducer("flows-out").unwrap();
            }
            // Fire and forget: the producer batches (linger.ms); a full buffer blocks this thread only.
            kafka.send(new ProducerRecord<>(topic, flow.key(), MeshJson.encode(flow)), sent);
        } catch (RuntimeException e) { // a closed producer, a timeout: flows are lossy by design
            dropped.increment();
            LOG.debugf("flow not sent to Kafka: %s", e.getMessage());
        }
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
