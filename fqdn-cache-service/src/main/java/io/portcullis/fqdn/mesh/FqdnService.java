package io.portcullis.fqdn.mesh;

import io.portcullis.fqdn.app.FqdnConfig;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.fqdn.ConnectionRecord;
import io.portcullis.mesh.fqdn.FqdnObservationRecord;
import io.portcullis.mesh.fqdn.FqdnSelectionRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.mesh.runtime.TopicReplay;
import io.portcullis.policy.fqdn.FqdnCache;
import io.portcullis.policy.fqdn.FqdnSelections;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The Kafka shell around {@link FqdnCache} and {@link FqdnSelections}. One thread (the loop) owns both and
 * every derived table; replays of the input topics and REST calls hand it tasks:
 * <ul>
 *   <li>{@code portcullis.policies} (read_committed): the toFQDNs selectors;</li>
 *   <li>{@code portcullis.endpoints}: which node each endpoint runs on (and a deleted endpoint's cache is
 *       flushed);</li>
 *   <li>{@code portcullis.fqdn-observations}: the DNS answers — restores the cache on start, and follows
 *       what dns-proxy-service writes;</li>
 *   <li>{@code portcullis.fqdn-selections} (its own output) once at start, to know what is published;</li>
 *   <li>{@code portcullis.connections}: node-agent's live connections (leases); the GC keeps an expired IP
 *       as a zombie while its endpoint has one to it, then the grace period.</li>
 * </ul>
 * After every change the IPs whose names or whose selectors changed get their selection recomputed and,
 * when it differs from the published one, a new record (or a tombstone) on {@code fqdn-selections}.
 * Single writer: run one instance.
 */
@ApplicationScoped
public class FqdnService {

    private static final Logger LOG = Logger.getLogger(FqdnService.class);

    /** Cache sizes as the gauges show them (computed on the loop). */
    public record Stats(int names, int ips, int zombies, long evictions, long mappings, int selectedIps) {}

    private final FqdnConfig config;
    private final Config mpConfig;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("fqdn-loop").unstarted(r));

    // Loop-thread state.
    private FqdnCache cache;
    private final FqdnSelections selections = new FqdnSelections();
    private final Map<String, List<String>> published = new HashMap<>();
    /** IPs whose last selection could not be published. */
    private final Set<String> retry = new HashSet<>();
    private static final List<String> UNSENT = List.of("<unsent>");
    /** Where each (endpoint, name) observation key lives: endpoint → name → node. */
    private final Map<String, Map<String, String>> observationNodes = new HashMap<>();
    private boolean ready;
    /**
     * Observations this service wrote and already applied, by {@code partition:offset}: their replay is
     * skipped once, so a flush or GC between the write and its replay is not undone by it.
     */
    private final Set<String> appliedOwnWrites = new HashSet<>();
    /** node-agent's connection leases by key ({@code node/ns/name/ip}). */
    private final Map<String, ConnectionRecord> connections = new HashMap<>();
    /** Per observations partition, the next offset the replay will hand over. */
    private final Map<Integer, Long> observationsConsumed = new HashMap<>();

    /** endpoint {@code ns/name} → node; read by REST threads. */
    private final Map<String, String> nodes = new ConcurrentHashMap<>();
    private volatile Stats stats = new Stats(0, 0, 0, 0, 0, 0);
    private volatile boolean readyFlag;
    private volatile String failure;
    private volatile List<TopicReplay> replays = List.of();
    private KafkaProducer<String, byte[]> producer;

    public FqdnService(FqdnConfig config, Config mpConfig) {
        this.config = config;
        this.mpConfig = mpConfig;
    }

    void onStart(@Observes StartupEvent event) {
        cache = new FqdnCache(new FqdnCache.Settings(config.minTtl(), config.maxIpsPerName(), config.maxNamesPerIp(),
                config.maxZombies(), config.zombieGrace()));
        Map<String, Object> pp = KafkaClientConfig.from(mpConfig, ProducerConfig.configNames());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A broker outage fails a write within seconds (the caller gets a 503), instead of holding it.
        pp.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        pp.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        pp.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> cp = KafkaClientConfig.from(mpConfig, ConsumerConfig.configNames());
        FqdnConfig.Topics t = config.topics();
        TopicReplay policies = new TopicReplay(cp, t.policies(), r -> submit(() -> onPolicy(r))).start();
        TopicReplay endpoints = new TopicReplay(cp, t.endpoints(), r -> submit(() -> onEndpoint(r))).start();
        TopicReplay observations = new TopicReplay(cp, t.observations(), r -> submit(() -> onObservation(r))).start();
        TopicReplay own = new TopicReplay(cp, t.selections(), r -> submit(() -> onPublished(r))).start();
        TopicReplay live = new TopicReplay(cp, t.connections(), r -> submit(() -> onConnection(r))).start();
        replays = List.of(policies, endpoints, observations, own, live);
        CompletableFuture.allOf(replays.stream().map(TopicReplay::caughtUp).toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> {
                    own.close(); // our own writes need not come back: the loop knows them
                    submit(this::start);
                });
        long gc = config.gcInterval().toMillis();
        loop.scheduleAtFixedRate(() -> guarded(this::gc), gc, gc, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        replays.forEach(TopicReplay::close);
        loop.shutdownNow();
        if (producer != null) {
            producer.close();
        }
    }

    public boolean isReady() {
        return readyFlag && failure == null;
    }

    public String failure() {
        if (failure != null) {
            return failure;
        }
        for (TopicReplay r : replays) {
            if (r.failure() != null) {
                return "reading input stopped: " + r.failure().getMessage();
            }
        }
        return null;
    }

    public Stats stats() {
        return stats;
    }

    /** The node endpoint {@code ns/name} runs on, or null. */
    public String nodeOf(String endpoint) {
        return nodes.get(endpoint);
    }

    // ---- calls from REST ---------------------------------------------------------------------------

    /**
     * Writes an observation to the topic (the same record dns-proxy-service writes), then applies it and
     * publishes the resulting selections. Answers the selectors of each of its IPs (empty: not selected).
     */
    public Map<String, List<String>> observe(FqdnObservationRecord o) throws ExecutionException, InterruptedException {
        RecordMetadata written = producer.send(new ProducerRecord<>(config.topics().observations(), o.key(),
                MeshJson.encode(o))).get();
        return call(() -> {
            if (written.offset() >= observationsConsumed.getOrDefault(written.partition(), 0L)) {
                appliedOwnWrites.add(written.partition() + ":" + written.offset());
            }
            apply(o);
            Map<String, List<String>> out = new TreeMap<>();
            for (String ip : o.ips()) {
                out.put(ip, published.getOrDefault(ip, List.of()));
            }
            return out;
        });
    }

    public List<FqdnCache.Mapping> list(String endpoint, String name) throws ExecutionException, InterruptedException {
        return call(() -> cache.list(endpoint, name));
    }

    /** Flushes matching mappings; answers how many there were. */
    public int flush(String endpoint, String name) throws ExecutionException, InterruptedException {
        return call(() -> {
            int n = cache.list(endpoint, name).size();
            FqdnCache.Removal r = cache.flush(endpoint, name);
            forget(r);
            reselect(r.changedIps());
            return n;
        });
    }

    /** The published selectors of every selected IP. */
    public Map<String, List<String>> selected() throws ExecutionException, InterruptedException {
        return call(() -> new TreeMap<>(published));
    }

    // ---- loop --------------------------------------------------------------------------------------

    private void start() {
        // Endpoints deleted while we were down take their caches with them.
        Set<String> gone = new HashSet<>(observationNodes.keySet());
        gone.removeAll(nodes.keySet());
        for (String ep : gone) {
            forget(cache.flush(ep, null));
        }
        Set<String> all = new HashSet<>(cache.ips());
        all.addAll(published.keySet());
        reselect(all);
        ready = true;
        readyFlag = true;
        LOG.infof("fqdn cache restored: %d names, %d IPs, %d selected", cache.nameCount(), cache.ipCount(), published.size());
    }

    private void onPolicy(ConsumerRecord<String, byte[]> r) {
        boolean changed;
        if (r.value() == null) {
            changed = selections.remove(r.key());
        } else {
            PolicyEvent e = MeshJson.decode(r.value(), PolicyEvent.class, PolicyEvent.SCHEMA_VERSION);
            changed = switch (e) {
                case PolicyEvent.Applied a -> selections.put(a.policy());
                case PolicyEvent.Deleted d -> selections.remove(d.key());
            };
        }
        if (changed) {
            Set<String> all = new HashSet<>(cache.ips());
            all.addAll(published.keySet());
            reselect(all);
        }
    }

    private void onEndpoint(ConsumerRecord<String, byte[]> r) {
        String[] parts = r.key().split("/", 2); // node/ns/name
        if (parts.length != 2) {
            return;
        }
        if (r.value() == null) {
            if (parts[0].equals(nodes.get(parts[1]))) {
                nodes.remove(parts[1]);
                if (ready) {
                    forget(cache.flush(parts[1], null));
                    reselect(Set.of()); // stats
                }
            }
            return;
        }
        EndpointRecord e = MeshJson.decode(r.value(), EndpointRecord.class, EndpointRecord.SCHEMA_VERSION);
        nodes.put(e.namespace() + "/" + e.name(), e.node());
    }

    private void onObservation(ConsumerRecord<String, byte[]> r) {
        observationsConsumed.merge(r.partition(), r.offset() + 1, Math::max);
        if (appliedOwnWrites.remove(r.partition() + ":" + r.offset())) {
            return;
        }
        if (r.value() == null) {
            return; // a flushed or collected key: the cache already forgot it
        }
        apply(MeshJson.decode(r.value(), FqdnObservationRecord.class, FqdnObservationRecord.SCHEMA_VERSION));
    }

    private void onPublished(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            published.remove(r.key());
        } else {
            published.put(r.key(), MeshJson.decode(r.value(), FqdnSelectionRecord.class,
                    FqdnSelectionRecord.SCHEMA_VERSION).selectors());
        }
    }

    private void onConnection(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            connections.remove(r.key());
        } else {
            connections.put(r.key(), MeshJson.decode(r.value(), ConnectionRecord.class, ConnectionRecord.SCHEMA_VERSION));
        }
    }

    private void apply(FqdnObservationRecord o) {
        observationNodes.computeIfAbsent(o.endpoint(), k -> new HashMap<>()).put(FqdnCache.normalize(o.name()), o.node());
        reselect(cache.observe(o.endpoint(), o.name(), o.ips(), o.ttlSeconds(), o.observedAt()));
    }

    private void gc() {
        if (!ready) {
            return; // the connections that keep zombies alive are not all read yet
        }
        long now = clock.millis();
        Set<String> alive = new HashSet<>();
        for (java.util.Iterator<ConnectionRecord> i = connections.values().iterator(); i.hasNext();) {
            ConnectionRecord c = i.next();
            if (c.liveAt(now)) {
                alive.add(c.endpoint() + " " + c.ip());
            } else {
                i.remove(); // a lease node-agent stopped renewing (killed before its tombstone)
            }
        }
        FqdnCache.Removal r = cache.gc(now, (endpoint, ip) -> alive.contains(endpoint + " " + ip));
        forget(r);
        Set<String> ips = new HashSet<>(r.changedIps());
        ips.addAll(retry);
        retry.clear();
        reselect(ips);
    }

    /** Tombstones the observation keys of (endpoint, name) pairs the cache no longer holds. */
    private void forget(FqdnCache.Removal r) {
        for (FqdnCache.EndpointName en : r.emptied()) {
            Map<String, String> names = observationNodes.get(en.endpoint());
            String node = names == null ? null : names.remove(en.name());
            if (names != null && names.isEmpty()) {
                observationNodes.remove(en.endpoint());
            }
            if (node != null && ready) {
                producer.send(new ProducerRecord<>(config.topics().observations(),
                        FqdnObservationRecord.of(node, en.endpoint(), en.name(), List.of(), 0, 0, "").key(), null));
            }
        }
    }

    /** Recomputes the selections of the IPs and publishes what changed (after start). */
    private void reselect(Collection<String> ips) {
        if (ready) {
            Map<String, Future<?>> sent = new TreeMap<>();
            for (String ip : ips) {
                List<String> want = selections.select(cache.namesOf(ip));
                List<String> have = published.get(ip);
                if (Objects.equals(want.isEmpty() ? null : want, have)) {
                    continue;
                }
                if (want.isEmpty()) {
                    published.remove(ip);
                    sent.put(ip, producer.send(new ProducerRecord<>(config.topics().selections(), ip, null)));
                } else {
                    published.put(ip, want);
                    sent.put(ip, producer.send(new ProducerRecord<>(config.topics().selections(), ip,
                            MeshJson.encode(FqdnSelectionRecord.of(ip, want)))));
                }
            }
            for (Map.Entry<String, Future<?>> f : sent.entrySet()) {
                try {
                    f.getValue().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException e) {
                    // Not published: a value no selection equals, so the next pass over the IP (a GC at the
                    // latest) sends it again, record or tombstone.
                    LOG.warnf("publishing the selection of %s failed: %s", f.getKey(), e.getCause().toString());
                    published.put(f.getKey(), UNSENT);
                    retry.add(f.getKey());
                }
            }
        }
        stats = new Stats(cache.nameCount(), cache.ipCount(), cache.zombieCount(), cache.evictions(),
                cache.mappingCount(), published.size());
    }

    private void submit(Runnable task) {
        loop.execute(() -> guarded(task));
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // One bad record must not stop the loop; it changes nothing and is reported.
            LOG.errorf(e, "fqdn loop: %s", e.getMessage());
        }
    }

    private <T> T call(Supplier<T> task) throws ExecutionException, InterruptedException {
        return CompletableFuture.supplyAsync(task, loop).get();
    }
}
