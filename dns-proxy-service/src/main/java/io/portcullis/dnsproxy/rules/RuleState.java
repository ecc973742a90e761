package io.portcullis.dnsproxy.rules;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.labels.Labels;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's compiled state as node-agent folds it (docs/mesh.md, "node-agent"), reduced to what the DNS
 * proxy needs: which local endpoint owns a source address, its realized map, and the identity (with labels)
 * of any address. Every kept record is also kept raw, so the state can be written to a snapshot and rebuilt
 * from it byte for byte before Kafka is reachable.
 *
 * <p><b>Concurrency contract:</b> writers (replay threads) serialize on {@link #lock}; readers call
 * {@link #view()}, which returns an immutable {@link RulesView}, rebuilt on the first read after a change
 * (so replaying thousands of records builds it once, not once per record).
 */
public final class RuleState {

    private final String node;
    private final String prefix;
    private final RuleTopics topics;

    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<String, Map<String, byte[]>> raw = new LinkedHashMap<>();
    private final Map<String, EndpointRecord> specs = new HashMap<>();
    /** Per endpoint, its incarnation: drawn from one counter for every state, so no two ever share one. */
    private final Map<String, Long> incarnations = new HashMap<>();
    private static final AtomicLong INCARNATIONS = new AtomicLong();
    private final Map<String, Long> endpointIdentities = new HashMap<>();
    private final Map<String, EndpointPolicyRecord> policies = new HashMap<>();
    private final Map<String, EndpointPolicy> decoded = new HashMap<>();
    private final Map<Long, Identity> identities = new HashMap<>();
    private final IpCache ipcache = new IpCache();
    private long version;

    private volatile RulesView view;

    public RuleState(String node, RuleTopics topics) {
        this.node = node;
        this.prefix = node + "/";
        this.topics = topics;
        for (String t : topics.inOrder()) {
            raw.put(t, new LinkedHashMap<>());
        }
    }

    public String node() {
        return node;
    }

    public RuleTopics topics() {
        return topics;
    }

    /**
     * Folds one record ({@code value} null: a tombstone). Records of other nodes are skipped by key.
     *
     * @throws RuntimeException when a kept record cannot be decoded (the caller stops that topic: skipping
     *                          it would silently enforce stale rules)
     */
    public void apply(String topic, String key, byte[] value) {
        if (key == null) {
            return;
        }
        synchronized (lock) {
            boolean kept;
            if (topic.equals(topics.endpoints())) {
                kept = endpoint(localId(key), value);
            } else if (topic.equals(topics.endpointIdentities())) {
                kept = endpointIdentity(localId(key), value);
            } else if (topic.equals(topics.endpointPolicies())) {
                kept = endpointPolicy(localId(key), value);
            } else if (topic.equals(topics.identities())) {
                kept = identity(key, value);
            } else if (topic.equals(topics.ipcache())) {
                kept = ipcache(key, value);
            } else {
                throw new IllegalArgumentException("not a rules topic: " + topic);
            }
            if (kept) {
                if (value == null) {
                    raw.get(topic).remove(key);
                } else {
                    raw.get(topic).put(key, value);
                }
                version++;
                view = null;
            }
        }
    }

    /** The records this state was built from, by topic (a copy, for the snapshot file). */
    public Map<String, Map<String, byte[]>> records() {
        synchronized (lock) {
            Map<String, Map<String, byte[]>> copy = new LinkedHashMap<>();
            raw.forEach((t, m) -> copy.put(t, new LinkedHashMap<>(m)));
            return copy;
        }
    }

    /** Grows with every change; lets the snapshot writer skip unchanged states. */
    public long version() {
        synchronized (lock) {
            return version;
        }
    }

    public RulesView view() {
        RulesView v = view;
        if (v != null) {
            return v;
        }
        synchronized (lock) {
            if (view == null) {
                view = RulesView.build(node, specs, incarnations, endpointIdentities, policies, decoded, identities, ipcache.snapshot());
            }
            return view;
        }
    }

    private boolean endpoint(String id, byte[] value) {
        if (id == null || id.equals("*")) {
            return false;
        }
        if (value == null) {
            specs.remove(id);
            incarnations.remove(id);
        } else {
            specs.put(id, MeshJson.decode(value, EndpointRecord.class, EndpointRecord.SCHEMA_VERSION));
            incarnations.computeIfAbsent(id, i -> INCARNATIONS.incrementAndGet());
        }
        return true;
    }

    private boolean endpointIdentity(String id, byte[] value) {
        if (id == null) {
            return false;
        }
        if (value == null) {
            endpointIdentities.remove(id);
        } else {
            endpointIdentities.put(id, MeshJson.decode(value, EndpointIdentityRecord.class,
                    EndpointIdentityRecord.SCHEMA_VERSION).identity());
        }
        return true;
    }

    /** As node-agent: the latest record wins, except an older revision for the same identity. */
    private boolean endpointPolicy(String id, byte[] value) {
        if (id == null || id.equals("*")) { // the watermark says nothing about which rules apply
            return false;
        }
        if (value == null) {
            policies.remove(id);
            decoded.remove(id);
            return true;
        }
        EndpointPolicyRecord rec = MeshJson.decode(value, EndpointPolicyRecord.class, EndpointPolicyRecord.SCHEMA_VERSION);
        EndpointPolicyRecord current = policies.get(id);
        if (current != null && current.identity() == rec.identity() && current.revision() > rec.revision()) {
            return false;
        }
        EndpointRecord spec = specs.get(id);
        Subject subject = new Subject(identity(rec.identity()), spec == null || spec.namedPorts() == null
                ? Map.of() : spec.namedPorts());
        decoded.put(id, EndpointPolicyCodec.decode(rec, subject));
        // Only identity and revision are read from the record later; the decoded policy has the map.
        policies.put(id, new EndpointPolicyRecord(rec.schemaVersion(), rec.node(), rec.endpoint(), rec.identity(),
                rec.revision(), List.of(), rec.ingress(), rec.egress()));
        return true;
    }

    private boolean identity(String key, byte[] value) {
        if (value == null) {
            identities.remove(Long.parseLong(key));
        } else {
            Identity id = MeshJson.decode(value, IdentityRecord.class, IdentityRecord.SCHEMA_VERSION).toIdentity();
            identities.put(id.id(), id);
        }
        return true;
    }

    private boolean ipcache(String key, byte[] value) {
        if (value == null) {
            ipcache.remove(key);
        } else {
            IpCacheRecord e = MeshJson.decode(value, IpCacheRecord.class, IpCacheRecord.SCHEMA_VERSION);
            ipcache.upsert(e.prefix(), e.identity(), e.source() == null ? "unknown" : e.source());
        }
        return true;
    }

    // Called with lock held.
    private Identity identity(long id) {
        Identity known = identities.get(id);
        if (known != null) {
            return known;
        }
        ReservedIdentity reserved = ReservedIdentity.byId(id);
        return reserved != null ? reserved.identity() : new Identity(id, Labels.of());
    }

    private String localId(String key) {
        return key.startsWith(prefix) ? key.substring(prefix.length()) : null;
    }
}
