package io.portcullis.identity.allocation;

import io.portcullis.identity.allocation.MeshWrite.Output;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.fqdn.FqdnSelectionRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.PolicyPrefixes;
import io.portcullis.policy.identity.PrefixLabels;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.ip.IpPrefix;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole of identity-service's logic, without Kafka: endpoints in, identities, endpoint identities and
 * ipcache entries out. Every instance holds the same <b>views</b> (every record of the endpoints,
 * identities, endpoint-identities and ipcache topics) and <b>owns</b> some slices ({@link Slicing}); it
 * writes only keys of the slices it owns:
 * <ul>
 *   <li>the identity of a label set — slice of the label set; allocated from that slice's id range
 *       ({@link IdentityAllocator.Config#forPartition}), so two owners can never hand out one number;</li>
 *   <li>the endpoint identity of an endpoint — slice of {@code node/ns/name};</li>
 *   <li>the ipcache entry of a prefix — slice of the prefix text.</li>
 * </ul>
 * Everything written is a function of the views (level-triggered), so a new owner recomputes it after
 * {@link #activate} and converges on what the old owner wrote. Reference counts are derived, not sent:
 * each endpoint in the view holds one reference on its label set's identity; an identity without
 * references is freed by {@link #gc} one grace period later.
 *
 * <p>Concurrency contract: not thread-safe. One thread (the mesh loop) makes every call; other threads
 * only see immutable {@link IdentitySnapshot}s.
 */
public final class IdentityCore {

    private static final System.Logger LOG = System.getLogger(IdentityCore.class.getName());

    public static final String SOURCE_ENDPOINT = "endpoint";
    public static final String SOURCE_FQDN = "fqdn";
    public static final String SOURCE_CIDR = "cidr";
    /** Kubernetes gives a pod without one the namespace's {@code default} service account. */
    static final String DEFAULT_SERVICE_ACCOUNT = "default";

    /** Allocation settings; {@code slices} is the owners topic's partition count. */
    public record Settings(int slices, long clusterId, int maxConnectedClusters, Duration gracePeriod,
            EndpointLabels endpointLabels) {

        public Settings {
            Objects.requireNonNull(gracePeriod, "gracePeriod");
            Objects.requireNonNull(endpointLabels, "endpointLabels");
        }

        public IdentityAllocator.Config sliceConfig(int slice) {
            return IdentityAllocator.Config.forPartition(clusterId, maxConnectedClusters, slice, slices, gracePeriod);
        }
    }

    /** An endpoint as identity-service sees it: its identity labels and its host prefixes. */
    private record Endpoint(String key, Labels labels, List<String> prefixes) {}

    private final Settings settings;
    private final Slicing slicing;

    // Views: exactly what the topics hold (as far as read).
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Map<Labels, Set<String>> endpointsByLabels = new HashMap<>();
    private final Map<String, TreeSet<String>> endpointsByPrefix = new HashMap<>();
    private final TreeMap<Long, Labels> identities = new TreeMap<>();
    private final Map<Labels, TreeSet<Long>> idsByLabels = new HashMap<>();
    private final Map<String, Long> endpointIdentities = new HashMap<>();
    private final Map<String, IpCacheRecord> ipcache = new HashMap<>();
    /** FQDN selections by host prefix ({@code ip/32}): the identity labels the IP needs. */
    private final Map<String, Labels> fqdnSelections = new HashMap<>();
    private final Map<Labels, Set<String>> fqdnPrefixesByLabels = new HashMap<>();
    /** The CIDR prefixes of each stored policy (policies view); each pair holds one reference on the prefix's labels. */
    private final Map<String, Set<String>> cidrPrefixesByPolicy = new HashMap<>();
    private final Map<String, Integer> cidrPolicies = new HashMap<>();
    private final Map<Labels, String> cidrPrefixByLabels = new HashMap<>();
    /** The highest policy revision consumed whole, and a revision of several records still coming (-1: none). */
    private long policyRevision;
    private long partialRevision = -1;
    private int partialSeen;

    // Owned slices: an allocator each, and what was written for owned keys but may not be read back yet
    // (a present key with a null value is a written tombstone).
    private final Map<Integer, IdentityAllocator> owned = new TreeMap<>();
    private final Map<String, Long> writtenEndpointIdentities = new HashMap<>();
    private final Map<String, IpCacheRecord> writtenIpcache = new HashMap<>();

    public IdentityCore(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.slicing = new Slicing(settings.slices());
    }

    public Slicing slicing() {
        return slicing;
    }

    public Set<Integer> ownedSlices() {
        return Set.copyOf(owned.keySet());
    }

    // ---- views -------------------------------------------------------------------------------------

    /** An endpoint record, or its tombstone ({@code record == null}). */
    public List<MeshWrite> onEndpoint(String key, EndpointRecord record, Instant now) {
        Endpoint old = endpoints.remove(key);
        if (old != null) {
            unindex(old);
        }
        Endpoint neu = record == null ? null : toEndpoint(key, record);
        if (neu != null) {
            endpoints.put(key, neu);
            index(neu);
        }
        List<MeshWrite> writes = new ArrayList<>();
        boolean labelsChanged = old == null || neu == null || !old.labels().equals(neu.labels());
        if (labelsChanged && old != null) {
            IdentityAllocator a = owner(old.labels());
            if (a != null) {
                a.release(old.labels(), now);
            }
        }
        if (labelsChanged && neu != null && acquire(neu.labels(), writes)) {
            reconcileLabels(neu.labels(), writes); // others with these labels may have waited for the id
        }
        reconcileEndpoint(key, writes);
        Set<String> prefixes = new LinkedHashSet<>();
        if (old != null) {
            prefixes.addAll(old.prefixes());
        }
        if (neu != null) {
            prefixes.addAll(neu.prefixes());
        }
        prefixes.forEach(p -> reconcilePrefix(p, writes));
        return writes;
    }

    /** An identity record, or its tombstone. Endpoints waiting for these labels may now resolve. */
    public List<MeshWrite> onIdentity(long id, IdentityRecord record) {
        Labels old = identities.remove(id);
        if (old != null) {
            removeId(old, id);
        }
        Labels neu = null;
        if (record != null) {
            neu = record.toIdentity().labels();
            identities.put(id, neu);
            idsByLabels.computeIfAbsent(neu, k -> new TreeSet<>()).add(id);
        }
        List<MeshWrite> writes = new ArrayList<>();
        if (old != null) {
            reconcileLabels(old, writes);
        }
        if (neu != null && !neu.equals(old)) {
            reconcileLabels(neu, writes);
        }
        return writes;
    }

    public void onEndpointIdentity(String key, EndpointIdentityRecord record) {
        if (record == null) {
            endpointIdentities.remove(key);
        } else {
            endpointIdentities.put(key, record.identity());
        }
    }

    public void onIpCache(String prefix, IpCacheRecord record) {
        if (record == null) {
            ipcache.remove(prefix);
        } else {
            ipcache.put(prefix, record);
        }
    }

    /**
     * An FQDN selection ({@code portcullis.fqdn-selections}, key: the IP), or its tombstone. The selection
     * holds one reference on the identity of its label set ({@link PrefixLabels#forFqdnIp}: one
     * {@code fqdn:} label per selector, the IP's {@code cidr:} label, world), counted by that label set's
     * owner like an endpoint's; the owner of the IP's host prefix points the ipcache at it with source
     * {@code fqdn} unless an endpoint has the address.
     */
    public List<MeshWrite> onFqdnSelection(String ip, FqdnSelectionRecord record, Instant now) {
        String prefix;
        Labels neu = null;
        try {
            IpAddress addr = IpAddress.parse(ip);
            prefix = IpPrefix.host(addr).toString();
            if (record != null && !record.selectors().isEmpty()) {
                neu = PrefixLabels.defaults().forFqdnIp(addr, record.selectors());
            }
        } catch (IllegalArgumentException bad) {
            LOG.log(System.Logger.Level.WARNING, "fqdn selection: ignoring address " + ip + ": " + bad.getMessage());
            return List.of();
        }
        Labels old = neu == null ? fqdnSelections.remove(prefix) : fqdnSelections.put(prefix, neu);
        List<MeshWrite> writes = new ArrayList<>();
        if (Objects.equals(old, neu)) {
            return writes;
        }
        if (old != null) {
            removeFrom(fqdnPrefixesByLabels, old, prefix);
            IdentityAllocator a = owner(old);
            if (a != null) {
                a.release(old, now);
            }
        }
        if (neu != null) {
            fqdnPrefixesByLabels.computeIfAbsent(neu, k -> new HashSet<>()).add(prefix);
            if (acquire(neu, writes)) {
                reconcileLabels(neu, writes);
            }
        }
        reconcilePrefix(prefix, writes);
        return writes;
    }

    /**
     * A record of {@code portcullis.policies} (key: the policy's key; a null event drops a compacted key).
     * Every prefix the policy selects by CIDR ({@link PolicyPrefixes}) holds one reference on the label set
     * {@link PrefixLabels#forPrefix} (local scope), counted by that label set's owner; the owner of the
     * prefix's slice points the ipcache at it with source {@code cidr} unless an endpoint or an FQDN
     * selection has the same key. A policy that no longer names a prefix releases its reference: the
     * ipcache entry goes at once, the identity one grace period later.
     */
    public List<MeshWrite> onPolicy(String key, PolicyEvent event, Instant now) {
        if (event != null) {
            advanceRevision(event);
        }
        Set<String> neu = new TreeSet<>();
        if (event instanceof PolicyEvent.Applied a && a.policy() != null) {
            PolicyPrefixes.of(a.policy()).forEach(p -> neu.add(p.toString()));
        }
        Set<String> old = neu.isEmpty() ? cidrPrefixesByPolicy.remove(key) : cidrPrefixesByPolicy.put(key, neu);
        old = old == null ? Set.of() : old;
        List<MeshWrite> writes = new ArrayList<>();
        for (String prefix : old) {
            if (!neu.contains(prefix)) {
                Labels labels = cidrLabels(prefix);
                if (cidrPolicies.merge(prefix, -1, Integer::sum) <= 0) {
                    cidrPolicies.remove(prefix);
                    cidrPrefixByLabels.remove(labels);
                }
                IdentityAllocator a = owner(labels);
                if (a != null) {
                    a.release(labels, now);
                }
                reconcilePrefix(prefix, writes);
            }
        }
        for (String prefix : neu) {
            if (!old.contains(prefix)) {
                Labels labels = cidrLabels(prefix);
                cidrPolicies.merge(prefix, 1, Integer::sum);
                cidrPrefixByLabels.put(labels, prefix);
                if (acquire(labels, writes)) {
                    reconcileLabels(labels, writes);
                }
                reconcilePrefix(prefix, writes);
            }
        }
        return writes;
    }

    /**
     * The policy revision each owned slice can vouch for ({@link io.portcullis.mesh.identity.IdentityWatermarkRecord}):
     * the highest one consumed whole, for slices whose CIDR prefixes all have their ipcache entry written
     * (or being written); a slice with a prefix still waiting for its identity is left out until it has it.
     */
    public Map<Integer, Long> watermarks() {
        Set<Integer> waiting = new HashSet<>();
        for (String prefix : cidrPolicies.keySet()) {
            int slice = slicing.sliceOf(prefix);
            if (owned.containsKey(slice) && currentIpcache(prefix) == null) {
                waiting.add(slice);
            }
        }
        Map<Integer, Long> out = new TreeMap<>();
        owned.keySet().stream().filter(s -> !waiting.contains(s)).forEach(s -> out.put(s, policyRevision));
        return out;
    }

    /** A revision of several records counts once all of them are consumed (as the compiler counts it). */
    private void advanceRevision(PolicyEvent event) {
        int size = event instanceof PolicyEvent.Applied a ? a.recordsInRevision() : 1;
        boolean whole = size <= 1;
        if (!whole) {
            if (event.revision() != partialRevision) {
                partialRevision = event.revision();
                partialSeen = 0;
            }
            whole = ++partialSeen >= size;
        }
        if (whole) {
            policyRevision = Math.max(policyRevision, event.revision());
        }
    }

    private static Labels cidrLabels(String prefix) {
        return PrefixLabels.defaults().forPrefix(prefix);
    }

    // ---- ownership ---------------------------------------------------------------------------------

    /**
     * Takes over slices. The views must already hold everything the previous owners committed (the loop
     * waits for that), so restored ids are complete and new ids cannot collide with live ones.
     */
    public List<MeshWrite> activate(Collection<Integer> slices, Instant now) {
        List<MeshWrite> writes = new ArrayList<>();
        Set<Integer> fresh = new TreeSet<>();
        for (int s : slices) {
            if (!owned.containsKey(s)) {
                owned.put(s, new IdentityAllocator(settings.sliceConfig(s)));
                fresh.add(s);
            }
        }
        if (fresh.isEmpty()) {
            return writes;
        }
        identities.forEach((id, labels) -> {
            if (fresh.contains(slicing.sliceOf(labels))) {
                owned.get(slicing.sliceOf(labels)).restore(new Identity(id, labels));
            }
        });
        for (Endpoint e : endpoints.values()) {
            if (fresh.contains(slicing.sliceOf(e.labels()))) {
                acquire(e.labels(), writes);
            }
        }
        for (Labels l : fqdnSelections.values()) {
            if (fresh.contains(slicing.sliceOf(l))) {
                acquire(l, writes);
            }
        }
        for (Set<String> policyPrefixes : cidrPrefixesByPolicy.values()) {
            for (String prefix : policyPrefixes) {
                Labels l = cidrLabels(prefix);
                if (fresh.contains(slicing.sliceOf(l))) {
                    acquire(l, writes);
                }
            }
        }
        Set<String> keys = new HashSet<>(endpoints.keySet());
        keys.addAll(endpointIdentities.keySet());
        keys.stream().filter(k -> fresh.contains(slicing.sliceOf(k))).sorted().forEach(k -> reconcileEndpoint(k, writes));
        Set<String> prefixes = new HashSet<>(endpointsByPrefix.keySet());
        prefixes.addAll(fqdnSelections.keySet());
        prefixes.addAll(cidrPolicies.keySet());
        ipcache.forEach((p, r) -> {
            if (SOURCE_ENDPOINT.equals(r.source()) || SOURCE_FQDN.equals(r.source()) || SOURCE_CIDR.equals(r.source())) {
                prefixes.add(p);
            }
        });
        prefixes.stream().filter(p -> fresh.contains(slicing.sliceOf(p))).sorted().forEach(p -> reconcilePrefix(p, writes));
        return writes;
    }

    /** Gives slices up: their allocators and write overlays go; the topics keep what was written. */
    public void deactivate(Collection<Integer> slices) {
        Set<Integer> gone = new HashSet<>(slices);
        owned.keySet().removeAll(gone);
        writtenEndpointIdentities.keySet().removeIf(k -> gone.contains(slicing.sliceOf(k)));
        writtenIpcache.keySet().removeIf(k -> gone.contains(slicing.sliceOf(k)));
    }

    /** Frees identities of owned slices that have had no reference for a grace period. */
    public List<MeshWrite> gc(Instant now) {
        List<MeshWrite> writes = new ArrayList<>();
        for (IdentityAllocator a : owned.values()) {
            for (Identity freed : a.gc(now)) {
                writes.add(new MeshWrite(Output.IDENTITIES, Long.toString(freed.id()), null));
            }
        }
        return writes;
    }

    // ---- reads -------------------------------------------------------------------------------------

    /** The id an endpoint's labels have now (owned slices: the allocator; others: the identities view). */
    public Long identityOf(Labels labels) {
        IdentityAllocator a = owner(labels);
        if (a != null) {
            return a.byLabels(labels).map(Identity::id).orElse(null);
        }
        TreeSet<Long> ids = idsByLabels.get(labels);
        return ids == null ? null : ids.first();
    }

    /** References held on an id by the endpoints in view, as counted by its owner (0 when not owned). */
    public int references(long id) {
        return owned.values().stream().mapToInt(a -> a.references(id)).sum();
    }

    /** The identity labels of an endpoint record, as allocation sees them. */
    public Labels identityLabels(EndpointRecord r) {
        String sa = r.serviceAccount() == null || r.serviceAccount().isEmpty() ? DEFAULT_SERVICE_ACCOUNT : r.serviceAccount();
        return settings.endpointLabels().identityLabels(r.namespace(), r.labels(), r.namespaceLabels(), sa);
    }

    public IdentitySnapshot snapshot() {
        IpCache table = new IpCache();
        ipcache.forEach((p, r) -> table.upsert(p, r.identity(), r.source()));
        return new IdentitySnapshot(new TreeMap<>(identities), table.snapshot());
    }

    // ---- internals ---------------------------------------------------------------------------------

    /** One more reference on {@code labels} if this instance owns them; true when a new id was allocated. */
    private boolean acquire(Labels labels, List<MeshWrite> writes) {
        IdentityAllocator a = owner(labels);
        if (a == null) {
            return false;
        }
        boolean known = a.byLabels(labels).isPresent();
        try {
            Identity id = a.acquire(labels);
            if (known || id.isReserved()) {
                return false;
            }
            writes.add(new MeshWrite(Output.IDENTITIES, Long.toString(id.id()), IdentityRecord.of(id)));
            return true;
        } catch (IllegalStateException full) {
            // The slice's range is exhausted: the endpoint stays without identity until ids are freed.
            LOG.log(System.Logger.Level.ERROR, "cannot allocate an identity for " + labels + ": " + full.getMessage());
            return false;
        }
    }

    private IdentityAllocator owner(Labels labels) {
        return owned.isEmpty() ? null : owned.get(slicing.sliceOf(labels));
    }

    private boolean owns(String key) {
        return owned.containsKey(slicing.sliceOf(key));
    }

    private void reconcileLabels(Labels labels, List<MeshWrite> writes) {
        String cidr = cidrPrefixByLabels.get(labels);
        if (cidr != null) {
            reconcilePrefix(cidr, writes);
        }
        Set<String> fqdn = fqdnPrefixesByLabels.get(labels);
        if (fqdn != null) {
            List.copyOf(fqdn).forEach(p -> reconcilePrefix(p, writes));
        }
        Set<String> keys = endpointsByLabels.get(labels);
        if (keys == null) {
            return;
        }
        for (String k : List.copyOf(keys)) {
            reconcileEndpoint(k, writes);
            endpoints.get(k).prefixes().forEach(p -> reconcilePrefix(p, writes));
        }
    }

    /**
     * Endpoint identity: the id of the endpoint's labels; kept as it is while the labels have no id yet
     * (a label change does not drop the endpoint to "no identity"); a tombstone once the endpoint is gone.
     */
    private void reconcileEndpoint(String key, List<MeshWrite> writes) {
        if (!owns(key)) {
            return;
        }
        Long current = writtenEndpointIdentities.containsKey(key) ? writtenEndpointIdentities.get(key)
                : endpointIdentities.get(key);
        Endpoint e = endpoints.get(key);
        Long wanted = current;
        if (e == null) {
            wanted = null;
        } else {
            Long id = identityOf(e.labels());
            if (id != null) {
                wanted = id;
            }
        }
        if (!Objects.equals(wanted, current)) {
            writtenEndpointIdentities.put(key, wanted);
            writes.add(new MeshWrite(Output.ENDPOINT_IDENTITIES, key,
                    wanted == null ? null : EndpointIdentityRecord.of(key, wanted)));
        }
    }

    /**
     * Ipcache entry of a prefix: the identity of the endpoint that has the address (the lowest key if
     * several claim one address, so every owner picks the same); else the identity of its FQDN selection
     * (source {@code fqdn}) once that has an id; else the CIDR identity of a prefix some policy names
     * (source {@code cidr}) once that has an id; a tombstone once none has it.
     */
    private void reconcilePrefix(String prefix, List<MeshWrite> writes) {
        if (!owns(prefix)) {
            return;
        }
        IpCacheRecord current = currentIpcache(prefix);
        TreeSet<String> claimants = endpointsByPrefix.get(prefix);
        IpCacheRecord wanted = null;
        if (claimants != null) {
            wanted = current;
            for (String k : claimants) {
                Long id = identityOf(endpoints.get(k).labels());
                if (id != null) {
                    wanted = IpCacheRecord.of(prefix, id, SOURCE_ENDPOINT);
                    break;
                }
            }
        } else if (fqdnSelections.containsKey(prefix)) {
            Long id = identityOf(fqdnSelections.get(prefix));
            // Until the new label set has an id, the previous FQDN entry stays (like an endpoint's).
            wanted = id != null ? IpCacheRecord.of(prefix, id, SOURCE_FQDN)
                    : current != null && SOURCE_FQDN.equals(current.source()) ? current : null;
        } else if (cidrPolicies.containsKey(prefix)) {
            Long id = identityOf(cidrLabels(prefix));
            // The label set of a prefix never changes, so an entry of another source is replaced only by this one.
            wanted = id != null ? IpCacheRecord.of(prefix, id, SOURCE_CIDR) : null;
        }
        if (!Objects.equals(wanted, current)) {
            writtenIpcache.put(prefix, wanted);
            writes.add(new MeshWrite(Output.IPCACHE, prefix, wanted));
        }
    }

    /** The ipcache entry of a prefix as this instance last wrote it, else as the view has it. */
    private IpCacheRecord currentIpcache(String prefix) {
        return writtenIpcache.containsKey(prefix) ? writtenIpcache.get(prefix) : ipcache.get(prefix);
    }

    private Endpoint toEndpoint(String key, EndpointRecord r) {
        List<String> prefixes = new ArrayList<>();
        for (String ip : r.ips() == null ? List.<String>of() : r.ips()) {
            try {
                prefixes.add(IpPrefix.host(IpAddress.parse(ip)).toString());
            } catch (IllegalArgumentException bad) {
                LOG.log(System.Logger.Level.WARNING, "endpoint " + key + ": ignoring address " + ip + ": " + bad.getMessage());
            }
        }
        return new Endpoint(key, identityLabels(r), List.copyOf(new LinkedHashSet<>(prefixes)));
    }

    private void index(Endpoint e) {
        endpointsByLabels.computeIfAbsent(e.labels(), k -> new HashSet<>()).add(e.key());
        e.prefixes().forEach(p -> endpointsByPrefix.computeIfAbsent(p, k -> new TreeSet<>()).add(e.key()));
    }

    private void unindex(Endpoint e) {
        removeFrom(endpointsByLabels, e.labels(), e.key());
        e.prefixes().forEach(p -> removeFrom(endpointsByPrefix, p, e.key()));
    }

    private void removeId(Labels labels, long id) {
        removeFrom(idsByLabels, labels, id);
    }

    private static <K, V> void removeFrom(Map<K, ? extends Set<V>> index, K key, V value) {
        Set<V> s = index.get(key);
        if (s != null) {
            s.remove(value);
            if (s.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
