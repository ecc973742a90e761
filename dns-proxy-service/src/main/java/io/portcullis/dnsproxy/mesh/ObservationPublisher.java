package io.portcullis.dnsproxy.mesh;

import io.portcullis.dnsproxy.dns.DnsWire;
import io.portcullis.dnsproxy.proxy.ObservationSink;
import io.portcullis.dnsproxy.proxy.ProxyStats;
import io.portcullis.dnsproxy.rules.EndpointKey;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.fqdn.FqdnObservationRecord;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.mesh.runtime.TopicProvisioner;
import io.portcullis.mesh.runtime.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Learned answers → {@code portcullis.fqdn-observations} ({@link FqdnObservationRecord}, source
 * {@code dns-proxy}). The proxy's event loop only enqueues; a thread of its own owns the producer, so a
 * broker outage never blocks DNS. An answer that repeats what was published (same addresses) is sent again
 * only after half its TTL, so a busy name does not flood the topic but its entry is refreshed in time. What
 * was sent is remembered per endpoint incarnation: a re-created pod's first answer is published at once (the
 * cache dropped the old pod's entries), and the memory goes with the incarnation.
 */
public final class ObservationPublisher implements ObservationSink {

    private static final Logger LOG = Logger.getLogger(ObservationPublisher.class);
    static final int QUEUE = 10_000;
    static final int DEDUP_LIMIT = 100_000;

    private record Sent(List<String> ips, long refreshAtMillis) {}

    private record Queued(EndpointKey endpoint, FqdnObservationRecord record) {}

    private final String node;
    private final String topic;
    private final List<TopicSpec> topics;
    private final Config kafkaConfig;
    private final ProxyStats stats;
    private final BlockingQueue<Queued> queue = new ArrayBlockingQueue<>(QUEUE);
    /** endpoint incarnation → question name → what was last queued. */
    private final Map<EndpointKey, Map<String, Sent>> sent = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private Thread thread;

    public ObservationPublisher(String node, String topic, Config kafkaConfig, ProxyStats stats,
                                Collection<TopicSpec> topics) {
        this.topics = List.copyOf(topics);
        this.node = node;
        this.topic = topic;
        this.kafkaConfig = kafkaConfig;
        this.stats = stats;
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("dns-proxy-observations").start(this::run);
    }

    public void stop() {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void observed(EndpointKey endpoint, DnsWire.Learned learned) {
        long now = System.currentTimeMillis();
        FqdnObservationRecord rec = FqdnObservationRecord.of(node, endpoint.id(), learned.name(), learned.ips(),
                learned.ttlSeconds(), now, "dns-proxy");
        Map<String, Sent> mine = sent.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>());
        Sent last = mine.get(rec.name());
        if (last != null && last.ips().equals(rec.ips()) && now < last.refreshAtMillis()) {
            return;
        }
        if (!queue.offer(new Queued(endpoint, rec))) {
            stats.observationsDropped.increment();
            return;
        }
        if (mine.size() >= DEDUP_LIMIT) {
            mine.clear();
        }
        mine.put(rec.name(), new Sent(rec.ips(), now + learned.ttlSeconds() * 500));
    }

    @Override
    public void retain(Set<EndpointKey> live) {
        sent.keySet().retainAll(live);
    }

    /** The next answer for it is published again. */
    private void forget(Queued q) {
        Map<String, Sent> mine = sent.get(q.endpoint());
        if (mine != null) {
            mine.remove(q.record().name());
        }
    }

    /**
     * Creates missing topics (mesh-runtime's provisioner) before producing. Done here, retried, rather than
     * at startup: the proxy must start and serve while Kafka is unreachable.
     */
    private boolean provision() {
        while (!stopping && !topics.isEmpty()) {
            Map<String, Object> admin = KafkaClientConfig.from(kafkaConfig, AdminClientConfig.configNames());
            admin.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            admin.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
            try (Admin a = Admin.create(admin)) {
                new TopicProvisioner(a, Duration.ofSeconds(10)).provision(topics);
                return true;
            } catch (RuntimeException e) {
                LOG.warnf("topics not provisioned yet (%s); retrying", e.toString());
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !stopping;
    }

    private void run() {
        if (!provision()) {
            return;
        }
        Map<String, Object> props = KafkaClientConfig.from(kafkaConfig, ProducerConfig.configNames());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            while (!stopping) {
                Queued q;
                try {
                    q = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (q == null) {
                    continue;
                }
                FqdnObservationRecord rec = q.record();
                try {
                    producer.send(new ProducerRecord<>(topic, rec.key(), MeshJson.encode(rec)), (md, e) -> {
                        if (e == null) {
                            stats.observationsPublished.increment();
                        } else {
                            stats.observationsDropped.increment();
                            forget(q);
                            LOG.warnf("observation %s not published: %s", rec.key(), e.toString());
                        }
                    });
                } catch (RuntimeException e) {
                    stats.observationsDropped.increment();
                    forget(q);
                    LOG.warnf("observation %s not published: %s", rec.key(), e.toString());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "observation publisher stopped");
        }
    }
}
