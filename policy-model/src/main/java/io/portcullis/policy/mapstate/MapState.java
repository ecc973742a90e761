package io.portcullis.policy.mapstate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The policy map of one endpoint, built with Cilium v1.18's insertion precedence
 * ({@code mapstate.go insertWithChanges}) and read with the datapath's two lookups (peer identity and
 * identity 0, {@code mapState.lookup}).
 *
 * <p>The result must not depend on the order rules arrive in, so {@link Builder} collects every
 * candidate entry first and inserts them in one canonical order: denies before allows, broader keys
 * before narrower ones, higher proxy priority first.
 *
 * <p>The map decomposes by peer identity: a key can only be covered by keys of its own identity or of
 * identity 0, so the entries of identity X depend only on the candidates for X and for 0, and the
 * entries of 0 only on the candidates for 0. {@link Builder#build()} therefore settles identity 0
 * first and then each identity on its own, and {@link Builder#buildIdentity(MapState, long)} redoes
 * a single identity on an existing map: an identity that appears, changes or goes away touches only
 * its own entries (Cilium's incremental map changes).
 *
 * <p>Stored compactly, as a large cluster holds thousands of entries per endpoint: each key packed
 * into a {@code long} whose order is {@link MapKey}'s own, in one sorted array beside the entries;
 * {@link MapKey} objects are made on demand.
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class MapState {

    private static final Direction[] DIRECTIONS = Direction.values();
    private static final Protocol[] PROTOCOLS = Protocol.values();
    private static final int IDENTITY_SHIFT = 25;

    /** Packed keys ({@link #pack}), ascending: grouped by identity, then in {@link MapKey} order. */
    private final long[] keys;
    private final MapEntry[] values;
    /** Every entry as a sorted map, built on first use ({@link #entries()}); benign race. */
    private volatile Map<MapKey, MapEntry> sorted;

    private MapState(long[] keys, MapEntry[] values) {
        this.keys = keys;
        this.values = values;
    }

    public static final MapState EMPTY = new MapState(new long[0], new MapEntry[0]);

    /**
     * A key as a long with the same order as {@link MapKey#compareTo}: identity (32 bits), direction,
     * protocol (enum order is protocol-number order), port, prefix length.
     */
    static long pack(MapKey k) {
        if (k.identity() < 0 || k.identity() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("identity out of range: " + k.identity());
        }
        return k.identity() << IDENTITY_SHIFT | (long) k.direction().ordinal() << 24
                | (long) k.protocol().ordinal() << 21 | (long) k.port() << 5 | k.prefixLen();
    }

    static MapKey unpack(long k) {
        return new MapKey(k >>> IDENTITY_SHIFT, DIRECTIONS[(int) (k >>> 24) & 1], PROTOCOLS[(int) (k >>> 21) & 7],
                (int) (k >>> 5) & 0xFFFF, (int) k & 31);
    }

    /** A map whose entries were already resolved (e.g. received from the compiler): no precedence applied. */
    public static MapState ofResolved(Map<MapKey, MapEntry> entries) {
        Sink sink = new Sink();
        sink.addAll(entries);
        return sink.build();
    }

    /** The first index whose key is at or above identity {@code id}'s first possible key. */
    private int start(long id) {
        int i = Arrays.binarySearch(keys, id << IDENTITY_SHIFT);
        return i >= 0 ? i : -i - 1;
    }

    /** Every entry, sorted by key; unmodifiable. */
    public Map<MapKey, MapEntry> entries() {
        Map<MapKey, MapEntry> s = sorted;
        if (s == null) {
            TreeMap<MapKey, MapEntry> all = new TreeMap<>();
            for (int i = 0; i < keys.length; i++) {
                all.put(unpack(keys[i]), values[i]);
            }
            s = Collections.unmodifiableMap(all);
            sorted = s;
        }
        return s;
    }

    /**
     * Every entry in key order, like {@link #entries()} but without building (and keeping) the sorted map:
     * for encoders that read each map once, where the cached copy would outweigh the packed arrays.
     */
    public void forEach(BiConsumer<MapKey, MapEntry> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(unpack(keys[i]), values[i]);
        }
    }

    public int size() {
        return keys.length;
    }

    /** The entries of one peer identity (0 = any peer), in key order; empty when none. */
    public Map<MapKey, MapEntry> entriesFor(long identity) {
        int from = start(identity);
        int to = start(identity + 1);
        if (from == to) {
            return Map.of();
        }
        Map<MapKey, MapEntry> m = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            m.put(unpack(keys[i]), values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public MapEntry get(MapKey key) {
        int i = Arrays.binarySearch(keys, pack(key));
        return i >= 0 ? values[i] : null;
    }

    /** The winning entry for a packet, or null when nothing matches (default deny when enforced). */
    public Match lookup(long peer, Direction dir, Protocol proto, int port) {
        Match forPeer = peer == 0 ? null : longestMatch(peer, dir, proto, port);
        Match forAny = longestMatch(0, dir, proto, port);
        if (forPeer == null) {
            return forAny;
        }
        if (forAny == null) {
            return forPeer;
        }
        // 1. a deny in either wins; 2. higher proxy priority; 3. more specific port; 4. the peer's entry.
        if (forPeer.entry().deny() || forAny.entry().deny()) {
            return forPeer.entry().deny() ? forPeer : forAny;
        }
        int pp = Integer.compare(forPeer.entry().proxyPriority(), forAny.entry().proxyPriority());
        if (pp != 0) {
            return pp > 0 ? forPeer : forAny;
        }
        return forAny.key().specificity() > forPeer.key().specificity() ? forAny : forPeer;
    }

    /** Keys of one identity and direction never tie on specificity when both match, so order is irrelevant. */
    private Match longestMatch(long id, Direction dir, Protocol proto, int port) {
        if (id < 0 || id > 0xFFFF_FFFFL) {
            return null;
        }
        Match best = null;
        for (int i = start(id), to = start(id + 1); i < to; i++) {
            MapKey k = unpack(keys[i]);
            if (k.direction() == dir && k.matchesPort(proto, port)
                    && (best == null || k.specificity() > best.key().specificity())) {
                best = new Match(k, values[i]);
            }
        }
        return best;
    }

    /** A key and its entry. */
    public record Match(MapKey key, MapEntry entry) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof MapState m && Arrays.equals(keys, m.keys) && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return entries().toString();
    }

    /** Appends entries in ascending key order. */
    private static final class Sink {
        long[] keys = new long[16];
        MapEntry[] values = new MapEntry[16];
        int n;

        void add(MapKey k, MapEntry e) {
            add(pack(k), e);
        }

        void add(long k, MapEntry e) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            keys[n] = k;
            values[n++] = e;
        }

        /** A bucket's entries, sorted. */
        void addAll(Map<MapKey, MapEntry> bucket) {
            if (bucket.size() == 1 || bucket instanceof java.util.SortedMap) {
                bucket.forEach(this::add);
            } else {
                new TreeMap<>(bucket).forEach(this::add);
            }
        }

        MapState build() {
            return new MapState(Arrays.copyOf(keys, n), Arrays.copyOf(values, n));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects candidate entries; {@link #build()} applies the precedence rules in canonical order. */
    public static final class Builder {

        /**
         * Candidates by identity: a {@link Candidate} while an identity has one key (most do), a map
         * once it has more. Two candidates for one key merge on arrival.
         */
        private final Map<Long, Object> candidates = new HashMap<>();

        private record Candidate(MapKey key, MapEntry entry) {}

        /** Adds a candidate; two candidates for one key merge (deny wins, then the higher proxy priority). */
        @SuppressWarnings("unchecked")
        public Builder add(MapKey key, MapEntry entry) {
            candidates.merge(key.identity(), new Candidate(key, entry), (cur, c) -> {
                if (cur instanceof Candidate one) {
                    if (one.key().equals(key)) {
                        return new Candidate(key, mergeSameKey(one.entry(), entry));
                    }
                    Map<MapKey, MapEntry> m = new HashMap<>(4);
                    m.put(one.key(), one.entry());
                    m.put(key, entry);
                    return m;
                }
                ((Map<MapKey, MapEntry>) cur).merge(key, entry, Builder::mergeSameKey);
                return cur;
            });
            return this;
        }

        @SuppressWarnings("unchecked")
        private static Map<MapKey, MapEntry> asMap(Object cands) {
            if (cands == null) {
                return Map.of();
            }
            return cands instanceof Candidate c ? Map.of(c.key(), c.entry()) : (Map<MapKey, MapEntry>) cands;
        }

        private static MapEntry mergeSameKey(MapEntry a, MapEntry b) {
            if (a.deny() != b.deny()) {
                return a.deny() ? a : b;
            }
            MapEntry winner = b.proxyPriority() > a.proxyPriority() ? b : a;
            return winner.mergeDerivedFrom(winner == a ? b.derivedFrom() : a.derivedFrom());
        }

        /**
         * The canonical insertion order: denies before allows, higher proxy priority first, broader
         * keys before narrower ones, then key order. (Identity 0 before the others is implied: identity
         * 0 is settled first.)
         */
        private static int canonical(Map.Entry<MapKey, MapEntry> a, Map.Entry<MapKey, MapEntry> b) {
            MapEntry ea = a.getValue();
            MapEntry eb = b.getValue();
            if (ea.deny() != eb.deny()) {
                return ea.deny() ? -1 : 1;
            }
            int c = Integer.compare(eb.proxyPriority(), ea.proxyPriority());
            if (c == 0) {
                c = Integer.compare(a.getKey().specificity(), b.getKey().specificity());
            }
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        }

        public MapState build() {
            Map<MapKey, MapEntry> wildcard = settleWildcard(asMap(candidates.get(0L)));
            Sink out = new Sink();
            out.addAll(wildcard);
            long[] ids = new long[candidates.size()];
            int n = 0;
            for (Long id : candidates.keySet()) {
                if (id != 0) {
                    ids[n++] = id;
                }
            }
            Arrays.sort(ids, 0, n);
            for (int i = 0; i < n; i++) {
                out.addAll(settle(ids[i], candidates.get(ids[i]), wildcard));
            }
            return out.build();
        }

        /**
         * {@code base} with the entries of peer {@code identity} (not 0) settled anew from this
         * builder's candidates for it; the builder must hold the candidates of that identity only (any
         * others are ignored), and {@code base} must have been built from the same identity-0
         * candidates. Equal to building every candidate again.
         */
        public MapState buildIdentity(MapState base, long identity) {
            if (identity <= 0) {
                throw new IllegalArgumentException("identity 0 is settled by build()");
            }
            Object cands = candidates.get(identity);
            Map<MapKey, MapEntry> bucket = cands == null ? Map.of() : settle(identity, cands, base.entriesFor(0));
            int from = base.start(identity);
            int to = base.start(identity + 1);
            Sink mid = new Sink();
            mid.addAll(bucket);
            if (mid.n == to - from && Arrays.equals(mid.keys, 0, mid.n, base.keys, from, to)
                    && Arrays.equals(mid.values, 0, mid.n, base.values, from, to)) {
                return base;
            }
            int size = base.keys.length - (to - from) + mid.n;
            long[] keys = new long[size];
            MapEntry[] values = new MapEntry[size];
            System.arraycopy(base.keys, 0, keys, 0, from);
            System.arraycopy(base.values, 0, values, 0, from);
            System.arraycopy(mid.keys, 0, keys, from, mid.n);
            System.arraycopy(mid.values, 0, values, from, mid.n);
            System.arraycopy(base.keys, to, keys, from + mid.n, base.keys.length - to);
            System.arraycopy(base.values, to, values, from + mid.n, base.keys.length - to);
            return new MapState(keys, values);
        }

        private static List<Map.Entry<MapKey, MapEntry>> ordered(Map<MapKey, MapEntry> cands) {
            List<Map.Entry<MapKey, MapEntry>> list = new ArrayList<>(cands.entrySet());
            if (list.size() > 1) {
                list.sort(Builder::canonical);
            }
            return list;
        }

        /** Identity 0's entries: they depend on identity-0 candidates alone. */
        private static Map<MapKey, MapEntry> settleWildcard(Map<MapKey, MapEntry> cands) {
            TreeMap<MapKey, MapEntry> bucket = new TreeMap<>();
            for (Map.Entry<MapKey, MapEntry> c : ordered(cands)) {
                if (c.getValue().deny()) {
                    insertDeny(Map.of(), bucket, c.getKey(), c.getValue());
                } else {
                    insertAllow(Map.of(), bucket, c.getKey(), c.getValue());
                }
            }
            return bucket;
        }

        /**
         * One identity's entries against the settled identity-0 entries. Settling identity 0 first is
         * the canonical order's own: every identity-0 deny precedes every other deny, and identity-0
         * allows that come later in it (lower proxy priority) can neither skip nor remove this
         * identity's allows.
         */
        private static Map<MapKey, MapEntry> settle(long id, Object cands, Map<MapKey, MapEntry> wildcard) {
            if (cands instanceof Candidate one && !hasDenyDependents(one, wildcard)) {
                // The common case, one key for this peer: no ordering, no working map.
                boolean skip = one.entry().deny() ? coveredByDeny(wildcard, one.key()) : skipAllow(wildcard, one.key(), one.entry());
                return skip ? Map.of() : Map.of(one.key(), one.entry());
            }
            TreeMap<MapKey, MapEntry> bucket = new TreeMap<>();
            for (Map.Entry<MapKey, MapEntry> c : ordered(asMap(cands))) {
                if (c.getValue().deny()) {
                    insertDeny(wildcard, bucket, c.getKey(), c.getValue());
                } else {
                    insertAllow(wildcard, bucket, c.getKey(), c.getValue());
                }
            }
            addDenyDependents(id, bucket, wildcard);
            return bucket;
        }

        /** True when a lone deny could get dependents (a wildcard allow at a port it covers). */
        private static boolean hasDenyDependents(Candidate one, Map<MapKey, MapEntry> wildcard) {
            if (!one.entry().deny()) {
                return false;
            }
            for (Map.Entry<MapKey, MapEntry> a : wildcard.entrySet()) {
                if (!a.getValue().deny() && one.key().coversPorts(a.getKey())) {
                    return true;
                }
            }
            return false;
        }

        /** An identity-0 deny covers the key: the key's deny is redundant (never the same key). */
        private static boolean coveredByDeny(Map<MapKey, MapEntry> wildcard, MapKey key) {
            for (Map.Entry<MapKey, MapEntry> e : wildcard.entrySet()) {
                if (e.getValue().deny() && e.getKey().covers(key)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * An identity-0 entry covering the key denies, redirects with higher priority, or is the same
         * port with the same verdict: the allow is not inserted. Any such entry decides, so the
         * wildcard bucket's iteration order does not matter.
         */
        private static boolean skipAllow(Map<MapKey, MapEntry> wildcard, MapKey key, MapEntry entry) {
            for (Map.Entry<MapKey, MapEntry> e : wildcard.entrySet()) {
                MapKey k = e.getKey();
                MapEntry v = e.getValue();
                if (!k.covers(key)) {
                    continue;
                }
                if (v.deny() || v.proxyPriority() > entry.proxyPriority()) {
                    return true;
                }
                // The same-port wildcard entry already says it; only on a non-zero port: Cilium never elides
                // an L3-only or all-ports entry (l4.go toMapState; Test_EnsureDeniesPrecedeAllows).
                if (key.port() != 0 && k.withIdentity(key.identity()).equals(key) && v.sameVerdict(entry)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Skip when a broader-or-equal deny exists; else drop every narrower-or-equal key it overrides.
         * {@code wildcard} (identity 0's settled entries, read-only) is searched before {@code bucket}.
         */
        private static void insertDeny(Map<MapKey, MapEntry> wildcard, Map<MapKey, MapEntry> bucket, MapKey key, MapEntry entry) {
            if (coveredByDeny(wildcard, key)) {
                return;
            }
            for (Map.Entry<MapKey, MapEntry> e : bucket.entrySet()) {
                if (e.getValue().deny() && e.getKey().covers(key)) {
                    if (e.getKey().equals(key)) {
                        e.setValue(e.getValue().mergeDerivedFrom(entry.derivedFrom()));
                    }
                    return;
                }
            }
            bucket.keySet().removeIf(key::covers);
            bucket.put(key, entry);
        }

        /**
         * Skip when a broader-or-equal key denies or redirects with higher priority, or when the
         * same-port wildcard-identity entry already says the same on a non-zero port ({@code L4Filter.toMapState}).
         */
        private static void insertAllow(Map<MapKey, MapEntry> wildcard, Map<MapKey, MapEntry> bucket, MapKey key, MapEntry entry) {
            if (skipAllow(wildcard, key, entry)) {
                return;
            }
            for (Map.Entry<MapKey, MapEntry> e : bucket.entrySet()) {
                MapKey k = e.getKey();
                MapEntry v = e.getValue();
                if (!k.covers(key)) {
                    continue;
                }
                if (k.equals(key)) {
                    e.setValue(v.mergeDerivedFrom(entry.derivedFrom()));
                    return;
                }
                if (v.deny() || v.proxyPriority() > entry.proxyPriority()) {
                    return;
                }
            }
            if (entry.isRedirect()) {
                bucket.entrySet().removeIf(e -> !e.getValue().deny() && key.covers(e.getKey())
                        && e.getValue().proxyPriority() < entry.proxyPriority());
            }
            bucket.put(key, entry);
        }

        /**
         * A peer-specific deny that is broader than a wildcard-identity allow gets a deny at that
         * allow's port too, so the datapath's longest-prefix match can never pick the allow for that
         * peer (Cilium's deny "dependents"; Test_MergeRules rows 34, 40, ...).
         */
        private static void addDenyDependents(long id, TreeMap<MapKey, MapEntry> bucket, Map<MapKey, MapEntry> wildcard) {
            if (wildcard.isEmpty()) {
                return;
            }
            List<Map.Entry<MapKey, MapEntry>> added = null;
            for (Map.Entry<MapKey, MapEntry> d : bucket.entrySet()) {
                if (!d.getValue().deny()) {
                    continue;
                }
                for (Map.Entry<MapKey, MapEntry> a : wildcard.entrySet()) {
                    MapKey ak = a.getKey();
                    if (!a.getValue().deny() && d.getKey().coversPorts(ak)) {
                        if (added == null) {
                            added = new ArrayList<>();
                        }
                        added.add(Map.entry(ak.withIdentity(id), d.getValue()));
                    }
                }
            }
            if (added != null) {
                for (Map.Entry<MapKey, MapEntry> e : added) {
                    bucket.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
    }
}
