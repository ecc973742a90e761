package io.portcullis.policy.identity;

import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hands out numeric identities for label sets (CILIUM-SEMANTICS §5.1, §5.3; DESIGN "identity-service").
 * Pure and deterministic: no threads, no clock of its own — callers pass the time.
 *
 * <ul>
 *   <li><b>Reserved first.</b> A label set that stands for a reserved identity
 *       ({@link ReservedIdentity#lookupByLabels}) gets it; the empty set gets {@code init} (5). Reserved
 *       identities are never counted or freed.</li>
 *   <li><b>Scope.</b> A set with a {@code cidr:}, {@code fqdn:} or {@code cidrgroup:} label gets a local
 *       identity ({@code 0x01000001}+), any other set a global one from the cluster range.</li>
 *   <li><b>Same labels, same id</b> while the identity lives. New ids come from a cursor that only moves
 *       forward through this allocator's range and wraps when it reaches the end, so a freed id is not
 *       reused until the whole range has been walked.</li>
 *   <li><b>Partitions.</b> {@link Config#forPartition} gives each replica a disjoint slice of the global
 *       and the local range ({@link IdentityRange#partition}), so replicas never collide.</li>
 *   <li><b>Reference counts and grace.</b> {@link #acquire} counts up, {@link #release} counts down; an
 *       identity whose count reaches 0 is freed by the first {@link #gc} at least {@code gracePeriod}
 *       later, unless it is acquired again meanwhile (a pod restarting keeps its identity).</li>
 *   <li><b>Restore.</b> {@link #restore} re-registers identities read back from the durable log, so ids
 *       survive restarts. A restored identity nobody acquires is freed one grace period after the first
 *       {@code gc} that sees it.</li>
 * </ul>
 */
public final class IdentityAllocator {

    /** Like Cilium's {@code --identity-heartbeat-timeout}. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(30);

    /** Where this allocator takes ids from and how long freed identities linger. */
    public record Config(IdentityRange global, IdentityRange local, Duration gracePeriod) {

        public Config {
            Objects.requireNonNull(global, "global");
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(gracePeriod, "gracePeriod");
            if (!NumericIdentity.hasGlobalScope(global.first()) || !NumericIdentity.hasGlobalScope(global.last())
                    || global.first() < NumericIdentity.MINIMAL_ALLOCATION) {
                throw new IllegalArgumentException("global range " + global + " leaves the global scope");
            }
            if (!NumericIdentity.hasLocalScope(local.first()) || !NumericIdentity.hasLocalScope(local.last())) {
                throw new IllegalArgumentException("local range " + local + " leaves the local scope");
            }
            if (gracePeriod.isNegative()) {
                throw new IllegalArgumentException("negative grace period");
            }
        }

        /** Cluster 0 of 255, one partition, default grace period. */
        public static Config defaults() {
            return forPartition(0, NumericIdentity.DEFAULT_MAX_CONNECTED_CLUSTERS, 0, 1, DEFAULT_GRACE_PERIOD);
        }

        /** Slice {@code partition} of {@code partitions} of the cluster range and of the local scope. */
        public static Config forPartition(long clusterId, int maxConnectedClusters, int partition, int partitions,
                Duration gracePeriod) {
            return new Config(IdentityRange.cluster(clusterId, maxConnectedClusters).partition(partition, partitions),
                    IdentityRange.localScope().partition(partition, partitions), gracePeriod);
        }
    }

    /** An allocated identity and its bookkeeping. */
    private static final class Entry {
        final Identity identity;
        int references;
        /** When the count last reached 0; null while referenced, or restored and not yet seen by gc. */
        Instant unreferencedSince;

        Entry(Identity identity, int references) {
            this.identity = identity;
            this.references = references;
        }
    }

    // Concurrency contract: not thread-safe. The state below is read and written without locks; callers
    // serialise every call (identity-service drives each allocator from a single consumer thread) and
    // hand immutable Identity values to other threads.
    private final Config config;
    private final Map<Labels, Entry> byLabels = new HashMap<>();
    private final TreeMap<Long, Entry> byId = new TreeMap<>();
    private long nextGlobal;
    private long nextLocal;

    public IdentityAllocator(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.nextGlobal = config.global().first();
        this.nextLocal = config.local().first();
    }

    public Config config() {
        return config;
    }

    /**
     * The identity for {@code labels}, allocating one if needed, and one more reference to it.
     *
     * @throws IllegalStateException when this allocator's range is full
     */
    public Identity acquire(Labels labels) {
        ReservedIdentity reserved = reservedFor(labels);
        if (reserved != null) {
            return reserved.identity();
        }
        Entry e = byLabels.get(labels);
        if (e == null) {
            long id = needsLocalScope(labels) ? allocateLocal() : allocateGlobal();
            e = new Entry(new Identity(id, labels), 0);
            byLabels.put(labels, e);
            byId.put(id, e);
        }
        e.references++;
        e.unreferencedSince = null;
        return e.identity;
    }

    /**
     * Drops one reference. Returns true when this was the last one: the identity is then freed by a
     * {@link #gc} at least one grace period after {@code now}. Releasing a reserved, unknown or
     * unreferenced label set is a no-op (log replays may repeat a release).
     */
    public boolean release(Labels labels, Instant now) {
        Entry e = byLabels.get(labels);
        if (e == null || e.references == 0) {
            return false;
        }
        e.references--;
        if (e.references > 0) {
            return false;
        }
        e.unreferencedSince = now;
        return true;
    }

    /**
     * Frees identities unreferenced for at least the grace period and returns them, by id. Starts the
     * grace period of restored identities nobody has acquired yet.
     */
    public List<Identity> gc(Instant now) {
        List<Identity> freed = new ArrayList<>();
        var it = byId.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.references > 0) {
                continue;
            }
            if (e.unreferencedSince == null) {
                e.unreferencedSince = now;
            } else if (!now.isBefore(e.unreferencedSince.plus(config.gracePeriod()))) {
                it.remove();
                byLabels.remove(e.identity.labels(), e);
                freed.add(e.identity);
            }
        }
        freed.forEach(this::promoteDuplicate);
        return freed;
    }

    /** After freeing the id a label set was known by, fall back to a restored duplicate, if any. */
    private void promoteDuplicate(Identity freed) {
        if (byLabels.containsKey(freed.labels())) {
            return;
        }
        byId.values().stream().filter(e -> e.identity.labels().equals(freed.labels())).findFirst()
                .ifPresent(e -> byLabels.put(freed.labels(), e));
    }

    /**
     * Re-registers an identity from the durable log, unreferenced. Idempotent. Ids of other partitions
     * are accepted (for lookups) but do not move this allocator's cursors; reserved ids are ignored.
     * When two ids carry the same labels, lookups by labels give the lower one; the other stays known by
     * id until gc frees it.
     *
     * @throws IllegalStateException when the id is already known with different labels
     */
    public void restore(Identity identity) {
        long id = identity.id();
        if (NumericIdentity.isReserved(id) || id == NumericIdentity.INVALID) {
            return;
        }
        Entry known = byId.get(id);
        if (known != null) {
            if (!known.identity.labels().equals(identity.labels())) {
                throw new IllegalStateException("identity " + id + " restored with " + identity.labels()
                        + " but known as " + known.identity.labels());
            }
            return;
        }
        Entry e = new Entry(identity, 0);
        byId.put(id, e);
        byLabels.merge(identity.labels(), e, (old, neu) -> old.identity.id() <= neu.identity.id() ? old : neu);
        if (config.global().contains(id) && id >= nextGlobal) {
            nextGlobal = id == config.global().last() ? config.global().first() : id + 1;
        }
        if (config.local().contains(id) && id >= nextLocal) {
            nextLocal = id == config.local().last() ? config.local().first() : id + 1;
        }
    }

    /** The identity with this number, reserved ones included. */
    public Optional<Identity> byId(long id) {
        ReservedIdentity reserved = ReservedIdentity.byId(id);
        if (reserved != null) {
            return Optional.of(reserved.identity());
        }
        return Optional.ofNullable(byId.get(id)).map(e -> e.identity);
    }

    /** The identity these labels have now, without allocating or counting. */
    public Optional<Identity> byLabels(Labels labels) {
        ReservedIdentity reserved = reservedFor(labels);
        if (reserved != null) {
            return Optional.of(reserved.identity());
        }
        return Optional.ofNullable(byLabels.get(labels)).map(e -> e.identity);
    }

    /** References held on an identity (0 for unknown, reserved or unreferenced ones). */
    public int references(long id) {
        Entry e = byId.get(id);
        return e == null ? 0 : e.references;
    }

    /** Whether this allocator hands out {@code id} (its global or local slice). */
    public boolean owns(long id) {
        return config.global().contains(id) || config.local().contains(id);
    }

    /** Allocated and restored identities (not reserved ones), by id. */
    public List<Identity> allocated() {
        return byId.values().stream().map(e -> e.identity).toList();
    }

    /** Reserved identities followed by allocated ones, by id. */
    public List<Identity> list() {
        List<Identity> all = new ArrayList<>();
        for (ReservedIdentity r : ReservedIdentity.values()) {
            all.add(r.identity());
        }
        all.addAll(allocated());
        all.sort(Comparator.comparingLong(Identity::id));
        return all;
    }

    private static ReservedIdentity reservedFor(Labels labels) {
        return labels.isEmpty() ? ReservedIdentity.INIT : ReservedIdentity.lookupByLabels(labels);
    }

    /** CIDR, FQDN and CIDR-group identities are node-local in Cilium ({@code ScopeForLabels}). */
    private static boolean needsLocalScope(Labels labels) {
        return labels.hasSource(Label.SOURCE_CIDR) || labels.hasSource(Label.SOURCE_FQDN)
                || labels.hasSource(Label.SOURCE_CIDR_GROUP);
    }

    private long allocateGlobal() {
        long id = nextFree(config.global(), nextGlobal);
        nextGlobal = id == config.global().last() ? config.global().first() : id + 1;
        return id;
    }

    private long allocateLocal() {
        long id = nextFree(config.local(), nextLocal);
        nextLocal = id == config.local().last() ? config.local().first() : id + 1;
        return id;
    }

    /** The first id at or after {@code cursor} that is not in use, wrapping around the range once. */
    private long nextFree(IdentityRange range, long cursor) {
        for (long i = 0, id = cursor; i < range.size(); i++) {
            if (!byId.containsKey(id)) {
                return id;
            }
            id = id == range.last() ? range.first() : id + 1;
        }
        throw new IllegalStateException("identity range " + range + " is exhausted");
    }
}
