package io.portcullis.identity.mesh;

import io.portcullis.identity.allocation.IdentityCore;
import io.portcullis.identity.allocation.IdentitySnapshot;
import io.portcullis.identity.allocation.MeshWrite;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.fqdn.FqdnSelectionRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Runs an {@link IdentityCore} against Kafka. One thread does everything, so the core needs no lock:
 * <ol>
 *   <li>a <b>view consumer</b> (no group) reads all partitions of the endpoints, identities,
 *       endpoint-identities and ipcache topics from the beginning, read_committed, and feeds the core;
 *       {@link #ready()} completes once it has reached the end offsets seen at start;</li>
 *   <li>an <b>owners consumer</b> in the service's consumer group subscribes to the owners topic, which
 *       carries no records: its partition assignment is the set of slices this instance owns. A newly
 *       assigned slice is activated only once the views have reached the end offsets taken at assignment,
 *       so the core knows everything the previous owner committed;</li>
 *   <li>every batch of writes is one Kafka transaction that also commits offsets of the owned
 *       partitions with the group's metadata ({@code sendOffsetsToTransaction}). An instance that lost its
 *       slices without noticing (a zombie) fails that commit and its writes are aborted, invisible to
 *       read_committed readers. After any failed transaction the loop drops all ownership, rejoins the
 *       group and recomputes from the views.</li>
 * </ol>
 * GC runs on the same thread every {@code gcInterval}. With a policies topic the views include the stored
 * policies (their CIDR prefixes get identities), and each transaction also carries the
 * {@link IdentityWatermarkRecord}s of the owned slices whose vouched-for policy revision changed.
 */
public final class IdentityLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IdentityLoop.class);
    private static final Duration VIEW_POLL = Duration.ofMillis(50);
    private static final Duration OWNERS_POLL = Duration.ofMillis(10);

    /**
     * Topic names, from configuration. {@code policies} (a view: CIDR identities) and {@code watermarks}
     * (written: {@link IdentityWatermarkRecord}) go together; null: neither is used.
     */
    public record Topics(String endpoints, String identities, String endpointIdentities, String ipcache, String owners,
            String fqdnSelections, String policies, String watermarks) {

        /** Without FQDN selections (null: that view is not read). */
        public Topics(String endpoints, String identities, String endpointIdentities, String ipcache, String owners) {
            this(endpoints, identities, endpointIdentities, ipcache, owners, null);
        }

        /** Without CIDR identities and watermarks. */
        public Topics(String endpoints, String identities, String endpointIdentities, String ipcache, String owners,
                String fqdnSelections) {
            this(endpoints, identities, endpointIdentities, ipcache, owners, fqdnSelections, null, null);
        }

        List<String> views() {
            List<String> v = new ArrayList<>(List.of(endpoints, identities, endpointIdentities, ipcache));
            if (fqdnSelections != null) {
                v.add(fqdnSelections);
            }
            if (policies != null) {
                v.add(policies);
            }
            return List.copyOf(v);
        }
    }

    /**
     * @param clientProps connection settings (bootstrap servers, security); the rest is set here
     * @param groupId     the consumer group all instances share
     */
    public record Settings(Map<String, Object> clientProps, Topics topics, String groupId, Duration gcInterval,
            IdentityCore.Settings core, Clock clock) {}

    private final Settings settings;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile IdentitySnapshot snapshot = IdentitySnapshot.EMPTY;
    private volatile Set<Integer> owned = Set.of();

    // Loop-thread state.
    private volatile KafkaConsumer<String, byte[]> views; // volatile: close() wakes it from another thread
    private KafkaConsumer<String, byte[]> owners;
    private KafkaProducer<String, byte[]> producer;
    private IdentityCore core;
    /** Slices assigned but not yet active, with the view offsets to reach first. */
    private final Map<Integer, Map<TopicPartition, Long>> pending = new HashMap<>();
    private Map<TopicPartition, Long> startupTargets;
    private Instant nextGc;
    private boolean dirty;
    private int slices;
    /** Per identity input and partition, the offset after the last record read into the views. */
    private final Map<String, Map<Integer, Long>> viewOffsets = new TreeMap<>();
    /** The watermark revision committed per owned slice. */
    private final Map<Integer, Long> writtenWatermarks = new HashMap<>();

    public IdentityLoop(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.thread = Thread.ofPlatform().daemon().name("identity-loop").unstarted(this::run);
    }

    public IdentityLoop start() {
        thread.start();
        return this;
    }

    /** Completes when the views have caught up with the topics as they were at start. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally() && failure == null;
    }

    public boolean isAlive() {
        return thread.isAlive() && failure == null;
    }

    /** Why the loop stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    public IdentitySnapshot snapshot() {
        return snapshot;
    }

    /** The slices this instance writes for right now. */
    public Set<Integer> ownedSlices() {
        return owned;
    }

    private void run() {
        try {
            views = new KafkaConsumer<>(viewProps(), new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> viewPartitions = new ArrayList<>();
            for (String t : settings.topics().views()) {
                viewPartitions.addAll(awaitPartitions(views, t));
            }
            views.assign(viewPartitions);
            views.seekToBeginning(viewPartitions);
            startupTargets = views.endOffsets(viewPartitions);
            slices = awaitPartitions(views, settings.topics().owners()).size();
            IdentityCore.Settings cs = settings.core();
            core = new IdentityCore(new IdentityCore.Settings(slices, cs.clusterId(), cs.maxConnectedClusters(),
                    cs.gracePeriod(), cs.endpointLabels()));
            nextGc = settings.clock().instant().plus(settings.gcInterval());
            LOG.infof("identity loop: %d ownership slices, replaying %s", slices, settings.topics().views());
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                fail(e);
            }
        } finally {
            closeOwnership();
            if (views != null) {
                views.close(Duration.ofSeconds(5));
            }
        }
    }

    private void step() {
        List<MeshWrite> writes = new ArrayList<>();
        Instant now = settings.clock().instant();
        for (ConsumerRecord<String, byte[]> r : views.poll(VIEW_POLL)) {
            dispatch(r, now, writes);
        }
        if (!ready.isDone()) {
            if (!reached(startupTargets)) {
                publishSnapshot();
                return;
            }
            LOG.infof("identity loop: views replayed up to %s", startupTargets);
            connectOwnership();
            ready.complete(null);
        }
        List<Integer> activatable = pending.entrySet().stream().filter(e -> reached(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
        if (!activatable.isEmpty()) {
            activatable.forEach(pending::remove);
            writes.addAll(core.activate(activatable, now));
            owned = core.ownedSlices();
            LOG.infof("identity loop: now owning slices %s", owned);
        }
        if (!now.isBefore(nextGc)) {
            writes.addAll(core.gc(now));
            nextGc = now.plus(settings.gcInterval());
        }
        Map<Integer, Long> watermarks = dueWatermarks();
        if (!writes.isEmpty() || !watermarks.isEmpty()) {
            commit(writes, watermarks);
        }
        publishSnapshot();
        owners.poll(OWNERS_POLL); // runs the rebalance callbacks on this thread
    }

    private void dispatch(ConsumerRecord<String, byte[]> r, Instant now, List<MeshWrite> writes) {
        Topics t = settings.topics();
        byte[] v = r.value();
        try {
            if (r.topic().equals(t.endpoints())) {
                EndpointRecord e = v == null ? null : MeshJson.decode(v, EndpointRecord.class, EndpointRecord.SCHEMA_VERSION);
                writes.addAll(core.onEndpoint(r.key(), e, now));
            } else if (r.topic().equals(t.identities())) {
                viewOffsets.computeIfAbsent(NodeRevisionRecord.IDENTITIES, k -> new TreeMap<>()).put(r.partition(), r.offset() + 1);
                IdentityRecord i = v == null ? null : MeshJson.decode(v, IdentityRecord.class, IdentityRecord.SCHEMA_VERSION);
                writes.addAll(core.onIdentity(Long.parseLong(r.key()), i));
            } else if (r.topic().equals(t.endpointIdentities())) {
                core.onEndpointIdentity(r.key(), v == null ? null
                        : MeshJson.decode(v, EndpointIdentityRecord.class, EndpointIdentityRecord.SCHEMA_VERSION));
            } else if (r.topic().equals(t.ipcache())) {
                viewOffsets.computeIfAbsent(NodeRevisionRecord.IPCACHE, k -> new TreeMap<>()).put(r.partition(), r.offset() + 1);
                core.onIpCache(r.key(), v == null ? null
                        : MeshJson.decode(v, IpCacheRecord.class, IpCacheRecord.SCHEMA_VERSION));
            } else if (r.topic().equals(t.fqdnSelections())) {
                writes.addAll(core.onFqdnSelection(r.key(), v == null ? null
                        : MeshJson.decode(v, FqdnSelectionRecord.class, FqdnSelectionRecord.SCHEMA_VERSION), now));
            } else if (r.topic().equals(t.policies())) {
                writes.addAll(core.onPolicy(r.key(), v == null ? null
                        : MeshJson.decode(v, PolicyEvent.class, PolicyEvent.SCHEMA_VERSION), now));
            }
            dirty = true;
        } catch (RuntimeException bad) {
            // A record this version cannot read changes nothing; stopping would block every other key.
            LOG.errorf("skipping %s record %s@%d key %s: %s", r.topic(), r.partition(), r.offset(), r.key(), bad.getMessage());
        }
    }

    /** Owned slices whose watermark revision differs from the committed one (none without a watermarks topic). */
    private Map<Integer, Long> dueWatermarks() {
        Map<Integer, Long> due = new TreeMap<>();
        if (settings.topics().watermarks() != null && ready.isDone()) {
            core.watermarks().forEach((slice, revision) -> {
                if (!revision.equals(writtenWatermarks.get(slice))) {
                    due.put(slice, revision);
                }
            });
        }
        return due;
    }

    /**
     * One transaction: the core's writes, then the due watermarks. A watermark must name the offsets of the
     * identity and ipcache records it relies on, this transaction's included, so those are flushed first
     * (their offsets are known once the broker has them; they stay invisible until the commit).
     */
    private void commit(List<MeshWrite> writes, Map<Integer, Long> watermarks) {
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> inputs = new ArrayList<>();
            for (MeshWrite w : writes) {
                Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topicOf(w.topic()), w.key(),
                        w.isTombstone() ? null : MeshJson.encode(w.value())));
                if (w.topic() != MeshWrite.Output.ENDPOINT_IDENTITIES) {
                    inputs.add(sent);
                }
            }
            if (!watermarks.isEmpty()) {
                sendWatermarks(watermarks, inputs);
            }
            Map<TopicPartition, OffsetAndMetadata> fence = owners.assignment().stream()
                    .collect(Collectors.toMap(Function.identity(), tp -> new OffsetAndMetadata(0)));
            producer.sendOffsetsToTransaction(fence, owners.groupMetadata());
            producer.commitTransaction();
            writtenWatermarks.putAll(watermarks);
        } catch (KafkaException e) {
            LOG.warnf("identity loop: transaction of %d writes failed (%s); giving up ownership and rejoining",
                    writes.size(), e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // fenced or broken: closing below is all that is left
            }
            core.deactivate(core.ownedSlices());
            writtenWatermarks.clear();
            owned = Set.of();
            pending.clear();
            closeOwnership();
            connectOwnership();
        }
    }

    private void sendWatermarks(Map<Integer, Long> watermarks, List<Future<RecordMetadata>> written) {
        producer.flush();
        Map<String, Map<Integer, Long>> offsets = new TreeMap<>();
        viewOffsets.forEach((input, p) -> offsets.put(input, new TreeMap<>(p)));
        for (Future<RecordMetadata> f : written) {
            RecordMetadata md;
            try {
                md = f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException(e);
            }
            String input = md.topic().equals(settings.topics().identities()) ? NodeRevisionRecord.IDENTITIES : NodeRevisionRecord.IPCACHE;
            offsets.computeIfAbsent(input, k -> new TreeMap<>()).merge(md.partition(), md.offset() + 1, Math::max);
        }
        watermarks.forEach((slice, revision) -> producer.send(new ProducerRecord<>(settings.topics().watermarks(),
                IdentityWatermarkRecord.key(slice), MeshJson.encode(IdentityWatermarkRecord.of(slice, slices, revision, offsets)))));
    }

    private String topicOf(MeshWrite.Output o) {
        return switch (o) {
            case IDENTITIES -> settings.topics().identities();
            case ENDPOINT_IDENTITIES -> settings.topics().endpointIdentities();
            case IPCACHE -> settings.topics().ipcache();
        };
    }

    private void connectOwnership() {
        Map<String, Object> pp = new HashMap<>(settings.clientProps());
        pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.groupId() + "-" + UUID.randomUUID());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        Map<String, Object> cp = new HashMap<>(settings.clientProps());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        owners = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer());
        owners.subscribe(List.of(settings.topics().owners()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                Map<TopicPartition, Long> targets = views.endOffsets(views.assignment());
                partitions.forEach(tp -> pending.put(tp.partition(), targets));
                LOG.infof("identity loop: assigned slices %s, activating once views reach %s", slices(partitions), targets);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                release(partitions);
            }
        });
    }

    private void release(Collection<TopicPartition> partitions) {
        Set<Integer> s = slices(partitions);
        s.forEach(pending::remove);
        s.forEach(writtenWatermarks::remove);
        core.deactivate(s);
        owned = core.ownedSlices();
        if (!s.isEmpty()) {
            LOG.infof("identity loop: gave up slices %s", s);
        }
    }

    private void closeOwnership() {
        if (owners != null) {
            try {
                owners.close(Duration.ofSeconds(5));
            } catch (KafkaException e) {
                LOG.debugf("closing owners consumer: %s", e);
            }
            owners = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        for (var e : targets.entrySet()) {
            if (views.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void publishSnapshot() {
        if (dirty) {
            snapshot = core.snapshot();
            dirty = false;
        }
    }

    private static Set<Integer> slices(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    private Map<String, Object> viewProps() {
        Map<String, Object> p = new HashMap<>(settings.clientProps());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return p;
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, String topic) {
        while (running) {
            try {
                var infos = consumer.partitionsFor(topic);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                LOG.infof("waiting for topic %s to exist", topic);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("waiting for Kafka to describe topic %s: %s", topic, e.getMessage());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    private void fail(Throwable e) {
        failure = e;
        ready.completeExceptionally(e);
        LOG.errorf(e, "identity loop stopped");
    }

    @Override
    public void close() {
        running = false;
        if (views != null) {
            views.wakeup();
        }
        if (thread.isAlive()) {
            try {
                thread.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
