package io.portcullis.compiler.compile;

import io.portcullis.mesh.compiled.NodeRevisionRecord;

import io.portcullis.compiler.compile.Publication.Out;
import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.policy.api.AuditMode;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.EngineConfig;
import io.portcullis.policy.engine.PolicyEngine;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Policies + identities + endpoints + ipcache → the desired policy of every endpoint, and the bookkeeping
 * of what has been published on the endpoint-policies topic, so a flush emits only what changed:
 * <ul>
 *   <li>an endpoint is republished when the engine had to resolve its policy again (the engine reports
 *       which identities a policy or identity change affects) and the resulting record differs from
 *       the last one published beyond the revision;</li>
 *   <li>each record carries the highest policy revision consumed when it was compiled;</li>
 *   <li>a node watermark ({@link NodeRevisionRecord}) lists, at the current revision, which record
 *       revision is each compiled endpoint's desired map; it is republished whenever the revision or
 *       the listing changes, so every endpoint is observably ready at every revision without a record
 *       of its own.</li>
 * </ul>
 *
 * <p>Concurrency: not thread-safe. One thread (the {@link CompileLoop}) owns it, as it owns the
 * single-writer {@link PolicyEngine} inside. Other threads read the immutable {@link #state()}.
 */
public final class EndpointCompiler {

    private final PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
    private final IpCache ipcache = new IpCache();
    private long revision;
    /** A revision of several records not yet applied whole (-1: none), and how many of its records were. */
    private long partialRevision = -1;
    private int partialSeen;

    private final Map<String, EndpointRecord> endpoints = new HashMap<>();
    private final Map<String, Set<String>> endpointsByNode = new HashMap<>();
    private final Map<String, Long> identityOf = new HashMap<>();
    private final Map<Long, Set<String>> endpointsByIdentity = new HashMap<>();

    /** Endpoints with a desired policy, by key. */
    private final Map<String, CompiledEndpoint> compiled = new HashMap<>();
    /** Endpoint keys with a live record on the output topic (ours, or found there at start). */
    private final Set<String> publishedKeys = new HashSet<>();
    /**
     * Records found on the output topic at start (their digest and revision), until the first flush: one whose
     * map is still the desired one is published again as it was, revision included, so a restart changes
     * nothing a node sees.
     */
    private final Map<String, Change.Published> foundRecords = new HashMap<>();
    /** The watermark last published per node. */
    private final Map<String, NodeRevisionRecord> watermarks = new HashMap<>();
    /** Nodes with a watermark found on the output topic at start. */
    private final Set<String> foundWatermarks = new HashSet<>();
    private long watermarkRevision = -1;
    /** Identity inputs consumed so far, per input and partition: the next offset (see {@link Change.InputOffset}). */
    private final Map<String, Map<Integer, Long>> inputOffsets = new TreeMap<>();
    private boolean inputOffsetsChanged;

    private final Set<String> dirty = new HashSet<>();
    private final Set<String> dirtyNodes = new HashSet<>();
    private boolean namedPortsChanged;
    private boolean stateChanged = true;
    private boolean identitiesChanged = true;
    private boolean ipcacheChanged = true;
    private DesiredState state = DesiredState.EMPTY;

    public EndpointCompiler() {
        for (ReservedIdentity r : ReservedIdentity.values()) {
            engine.upsertIdentity(r.identity());
        }
    }

    public long revision() {
        return revision;
    }

    /** The snapshot of the last flush; safe to hand to other threads. */
    public DesiredState state() {
        return state;
    }

    public void apply(Change change) {
        stateChanged = true;
        switch (change) {
            case Change.Policy p -> applyPolicy(p);
            case Change.Identity i -> {
                ReservedIdentity reserved = ReservedIdentity.byId(i.id());
                if (i.record() != null) {
                    markIdentities(engine.upsertIdentity(i.record().toIdentity()));
                } else if (reserved != null) {
                    markIdentities(engine.upsertIdentity(reserved.identity())); // reserved ones never go away
                } else {
                    markIdentities(engine.removeIdentity(i.id()));
                }
                identitiesChanged = true;
            }
            case Change.Endpoint e -> applyEndpoint(e.key(), e.record());
            case Change.EndpointIdentity ei -> {
                Long old = ei.record() == null ? identityOf.remove(ei.key()) : identityOf.put(ei.key(), ei.record().identity());
                if (old != null) {
                    unindex(endpointsByIdentity, old, ei.key());
                }
                if (ei.record() != null) {
                    endpointsByIdentity.computeIfAbsent(ei.record().identity(), k -> new HashSet<>()).add(ei.key());
                }
                dirty.add(ei.key());
            }
            case Change.IpCache c -> {
                if (c.record() == null) {
                    ipcache.remove(c.prefix());
                } else {
                    ipcache.upsert(c.prefix(), c.record().identity(), c.record().source());
                }
                ipcacheChanged = true;
            }
            case Change.InputOffset o -> {
                inputOffsets.computeIfAbsent(o.input(), k -> new TreeMap<>()).merge(o.partition(), o.next(), Math::max);
                inputOffsetsChanged = true;
            }
            case Change.Published p -> {
                if (NodeRevisionRecord.isKey(p.key())) {
                    String node = p.key().substring(0, p.key().length() - NodeRevisionRecord.KEY_SUFFIX.length());
                    if (p.live()) {
                        foundWatermarks.add(node);
                    } else {
                        foundWatermarks.remove(node);
                    }
                } else if (p.live()) {
                    publishedKeys.add(p.key());
                    if (p.digest() != null) {
                        foundRecords.put(p.key(), p);
                    } else {
                        foundRecords.remove(p.key());
                    }
                } else {
                    publishedKeys.remove(p.key());
                    foundRecords.remove(p.key());
                }
            }
        }
    }

    /**
     * The revision stamped on what is published is the highest one applied whole: a revision of several
     * records (one multi-document apply) counts only once all of them are applied, however the records
     * were split over batches, so no endpoint is reported ready at a revision it only half reflects.
     * A revision whose records were partly compacted away is superseded by the newer one that did it.
     */
    private void advanceRevision(PolicyEvent event) {
        int size = event instanceof PolicyEvent.Applied a ? a.recordsInRevision() : 1;
        if (size <= 1) {
            revision = Math.max(revision, event.revision());
            return;
        }
        if (event.revision() != partialRevision) {
            partialRevision = event.revision();
            partialSeen = 0;
        }
        if (++partialSeen >= size) {
            revision = Math.max(revision, event.revision());
            partialRevision = -1;
        }
    }

    private void applyPolicy(Change.Policy p) {
        if (p.event() == null) { // a compacted-away key: no revision of its own
            markIdentities(engine.deletePolicy(p.key()));
            return;
        }
        advanceRevision(p.event());
        markIdentities(switch (p.event()) {
            case PolicyEvent.Applied a -> engine.upsertPolicy(a.policy());
            case PolicyEvent.Deleted d -> engine.deletePolicy(d.key());
        });
    }

    private void applyEndpoint(String key, EndpointRecord record) {
        EndpointRecord old = record == null ? endpoints.remove(key) : endpoints.put(key, record);
        if (old != null) {
            unindex(endpointsByNode, old.node(), key);
            dirtyNodes.add(old.node());
        }
        if (record != null) {
            endpointsByNode.computeIfAbsent(record.node(), k -> new HashSet<>()).add(key);
            dirtyNodes.add(record.node());
        }
        if (old == null || record == null || !Objects.equals(old.namedPorts(), record.namedPorts())) {
            namedPortsChanged = true;
        }
        dirty.add(key);
    }

    /**
     * Computes what changed since the last flush. {@code full}: republish every desired record and
     * watermark and tombstone every stale key (after start, and after a failed publication).
     */
    public Publication flush(boolean full) {
        long t0 = System.nanoTime();
        if (namedPortsChanged || full) {
            namedPortsChanged = false;
            markIdentities(engine.setEgressNamedPorts(egressNamedPorts(endpoints.values())));
        }
        Set<String> keys = new TreeSet<>(dirty);
        if (full) {
            keys.addAll(endpoints.keySet());
            keys.addAll(publishedKeys);
            keys.addAll(compiled.keySet());
        }
        List<Out> out = new ArrayList<>();
        int recompiled = 0;
        for (String key : keys) {
            EndpointRecord ep = endpoints.get(key);
            Long id = identityOf.get(key);
            if (ep == null || id == null) {
                CompiledEndpoint gone = compiled.remove(key);
                if (gone != null) {
                    dirtyNodes.add(gone.node());
                }
                if (publishedKeys.remove(key)) {
                    out.add(new Out(key, null));
                }
                continue;
            }
            Identity identity = engine.identity(id);
            if (identity == null) {
                // Not consumed yet (another topic) or released under a live endpoint: its last record stays
                // (fail-static), but the watermark stops listing it, so it is not ready at newer revisions.
                if (compiled.remove(key) != null) {
                    dirtyNodes.add(ep.node());
                }
                continue;
            }
            CompiledEndpoint prev = compiled.get(key);
            EndpointPolicy policy = engine.policyFor(new Subject(identity, ep.namedPorts()));
            if (prev != null && prev.policy() == policy && !full) {
                continue; // the engine's cache: nothing this endpoint depends on changed
            }
            recompiled++;
            EndpointPolicyRecord record = withAudit(EndpointPolicyCodec.encode(ep.node(), ep.id(), revision, policy));
            String digest = EndpointPolicyCodec.digest(record);
            if (prev != null && !full && prev.digest().equals(digest)) {
                compiled.put(key, new CompiledEndpoint(key, ep.node(), ep.id(), policy, prev.revision(),
                        prev.auditPolicies(), digest));
                continue;
            }
            long recordRevision = revision;
            Change.Published found = foundRecords.get(key);
            if (prev == null && found != null && found.digest().equals(digest)) {
                recordRevision = found.revision();
            }
            CompiledEndpoint c = new CompiledEndpoint(key, ep.node(), ep.id(), policy, recordRevision,
                    record.auditPoliciesOrEmpty(), digest);
            compiled.put(key, c);
            publishedKeys.add(key);
            dirtyNodes.add(ep.node());
            out.add(Out.lazy(key, c::record));
        }
        out.addAll(watermarks(full));
        foundRecords.clear();
        dirty.clear();
        dirtyNodes.clear();
        if (stateChanged || !out.isEmpty()) {
            state = snapshot();
        }
        return new Publication(out, recompiled, System.nanoTime() - t0);
    }

    private List<Out> watermarks(boolean full) {
        Set<String> nodes = new TreeSet<>(dirtyNodes);
        if (full || revision != watermarkRevision || inputOffsetsChanged) {
            nodes.addAll(endpointsByNode.keySet());
            nodes.addAll(watermarks.keySet());
            nodes.addAll(foundWatermarks);
        }
        watermarkRevision = revision;
        inputOffsetsChanged = false;
        List<Out> out = new ArrayList<>();
        for (String node : nodes) {
            String key = NodeRevisionRecord.key(node);
            Set<String> eps = endpointsByNode.get(node);
            if (eps == null || eps.isEmpty()) {
                boolean live = watermarks.remove(node) != null;
                if (foundWatermarks.remove(node) || live) {
                    out.add(new Out(key, null));
                }
                continue;
            }
            Map<String, Long> listing = new TreeMap<>();
            for (String ep : eps) {
                CompiledEndpoint c = compiled.get(ep);
                if (c != null) {
                    listing.put(c.name(), c.revision());
                }
            }
            NodeRevisionRecord w = NodeRevisionRecord.of(node, revision, listing, inputOffsets);
            foundWatermarks.remove(node);
            if (full || !w.equals(watermarks.get(node))) {
                watermarks.put(node, w);
                out.add(new Out(key, w));
            }
        }
        return out;
    }

    /** Names the map's policies that are in audit mode, for the node's proxies and verdicts. */
    private EndpointPolicyRecord withAudit(EndpointPolicyRecord record) {
        List<String> audit = EndpointPolicyCodec.policyNames(record).stream()
                .filter(name -> AuditMode.isAudit(engine.policy(name))).toList();
        return record.withAuditPolicies(audit);
    }

    /**
     * Egress named ports: the union of every endpoint's named ports. A name two endpoints map to different
     * numbers is left out (Cilium 1.18 skips it, §3.1).
     */
    static Map<String, Integer> egressNamedPorts(Collection<EndpointRecord> endpoints) {
        Map<String, Integer> union = new HashMap<>();
        Set<String> conflicting = new HashSet<>();
        for (EndpointRecord ep : endpoints) {
            if (ep.namedPorts() == null) {
                continue;
            }
            ep.namedPorts().forEach((name, port) -> {
                if (port == null || conflicting.contains(name)) {
                    return;
                }
                Integer prev = union.putIfAbsent(name, port);
                if (prev != null && !prev.equals(port)) {
                    union.remove(name);
                    conflicting.add(name);
                }
            });
        }
        return union;
    }

    private DesiredState snapshot() {
        stateChanged = false;
        Map<String, EndpointView> byKey = new HashMap<>();
        Map<String, EndpointView> byName = new HashMap<>();
        Map<String, EndpointView> byIp = new HashMap<>();
        for (EndpointRecord ep : endpoints.values()) {
            EndpointView v = new EndpointView(ep.key(), ep.node(), ep.id(),
                    ep.ips() == null ? List.of() : List.copyOf(ep.ips()),
                    ep.namedPorts() == null ? Map.of() : Map.copyOf(ep.namedPorts()),
                    identityOf.get(ep.key()), compiled.get(ep.key()));
            byKey.put(v.key(), v);
            byName.put(v.name(), v);
            for (String ip : v.ips()) {
                try {
                    byIp.put(IpAddress.parse(ip).toString(), v); // one spelling per address, as lookups parse too
                } catch (IllegalArgumentException e) {
                    // not an address: node-agent validates IPs, so only a foreign writer gets here; not indexed
                }
            }
        }
        IpCache cache = ipcacheChanged ? ipcache.snapshot() : state.ipcache();
        Map<Long, Identity> ids = state.identities();
        if (identitiesChanged) {
            Map<Long, Identity> copy = new HashMap<>();
            engine.identities().forEach(i -> copy.put(i.id(), i));
            ids = Map.copyOf(copy);
        }
        ipcacheChanged = false;
        identitiesChanged = false;
        return new DesiredState(revision, engine.policies().size(), Map.copyOf(byKey), Map.copyOf(byName),
                Map.copyOf(byIp), cache, ids);
    }

    private void markIdentities(Set<Long> ids) {
        for (long id : ids) {
            dirty.addAll(endpointsByIdentity.getOrDefault(id, Set.of()));
        }
    }

    private static <K> void unindex(Map<K, Set<String>> index, K k, String key) {
        Set<String> s = index.get(k);
        if (s != null && s.remove(key) && s.isEmpty()) {
            index.remove(k);
        }
    }
}
