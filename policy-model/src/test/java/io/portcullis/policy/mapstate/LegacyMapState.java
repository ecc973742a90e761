package io.portcullis.policy.mapstate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policy map of one endpoint, built with Cilium v1.18's insertion precedence
 * ({@code mapstate.go insertWithChanges}) and read with the datapath's two lookups (peer identity and
 * identity 0, {@code mapState.lookup}).
 *
 * <p>The result must not depend on the order rules arrive in, so {@link Builder} collects every
 * candidate entry first and inserts them in one canonical order: denies before allows, broader keys
 * before narrower ones, higher proxy priority first.
 *
 * <p>Immutable once built; safe to share between threads.
 */
/** The map-state builder as it was before the per-identity rewrite: the oracle for {@code MapStateBuilderTest}. */
final class LegacyMapState {

    private final Map<MapKey, MapEntry> entries;
    /** The same entries by peer identity: both datapath lookups touch only two small maps. */
    private final Map<Long, Map<MapKey, MapEntry>> byIdentity;

    LegacyMapState(Map<MapKey, MapEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
        this.byIdentity = index(entries);
    }

    private static Map<Long, Map<MapKey, MapEntry>> index(Map<MapKey, MapEntry> entries) {
        Map<Long, Map<MapKey, MapEntry>> idx = new java.util.HashMap<>();
        entries.forEach((k, v) -> idx.computeIfAbsent(k.identity(), i -> new TreeMap<>()).put(k, v));
        return idx;
    }

    

    public Map<MapKey, MapEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public MapEntry get(MapKey key) {
        return entries.get(key);
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

    private Match longestMatch(long id, Direction dir, Protocol proto, int port) {
        Match best = null;
        for (Map.Entry<MapKey, MapEntry> e : byIdentity.getOrDefault(id, Map.of()).entrySet()) {
            MapKey k = e.getKey();
            if (k.direction() == dir && k.matchesPort(proto, port)
                    && (best == null || k.specificity() > best.key().specificity())) {
                best = new Match(k, e.getValue());
            }
        }
        return best;
    }

    /** A key and its entry. */
    public record Match(MapKey key, MapEntry entry) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof LegacyMapState m && entries.equals(m.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects candidate entries; {@link #build()} applies the precedence rules in canonical order. */
    public static final class Builder {

        private final Map<MapKey, MapEntry> candidates = new TreeMap<>();

        /** Adds a candidate; two candidates for one key merge (deny wins, then the higher proxy priority). */
        public Builder add(MapKey key, MapEntry entry) {
            candidates.merge(key, entry, Builder::mergeSameKey);
            return this;
        }

        private static MapEntry mergeSameKey(MapEntry a, MapEntry b) {
            if (a.deny() != b.deny()) {
                return a.deny() ? a : b;
            }
            MapEntry winner = b.proxyPriority() > a.proxyPriority() ? b : a;
            return winner.mergeDerivedFrom(winner == a ? b.derivedFrom() : a.derivedFrom());
        }

        private static final Comparator<Map.Entry<MapKey, MapEntry>> CANONICAL =
                Comparator.<Map.Entry<MapKey, MapEntry>, Boolean>comparing(e -> !e.getValue().deny())
                        .thenComparing(e -> -e.getValue().proxyPriority())
                        .thenComparing(e -> e.getKey().identity() != 0)
                        .thenComparing(e -> e.getKey().specificity())
                        .thenComparing(Map.Entry::getKey);

        public LegacyMapState build() {
            List<Map.Entry<MapKey, MapEntry>> ordered = new ArrayList<>(candidates.entrySet());
            ordered.sort(CANONICAL);
            Entries map = new Entries();
            for (Map.Entry<MapKey, MapEntry> c : ordered) {
                if (c.getValue().deny()) {
                    insertDeny(map, c.getKey(), c.getValue());
                } else {
                    insertAllow(map, c.getKey(), c.getValue());
                }
            }
            addDenyDependents(map);
            return new LegacyMapState(map.flat());
        }

        /**
         * Entries under construction, by identity: a key can only be covered by keys of its own
         * identity or of identity 0, so insertion scans those two buckets, not the whole map.
         */
        private static final class Entries {
            final Map<Long, Map<MapKey, MapEntry>> byId = new java.util.HashMap<>();

            Map<MapKey, MapEntry> bucket(long id) {
                return byId.computeIfAbsent(id, i -> new TreeMap<>());
            }

            /** The buckets that may hold keys covering {@code key}. */
            List<Map<MapKey, MapEntry>> coverCandidates(MapKey key) {
                return key.identity() == 0 ? List.of(bucket(0)) : List.of(bucket(0), bucket(key.identity()));
            }

            /** The buckets that may hold keys {@code key} covers. */
            java.util.Collection<Map<MapKey, MapEntry>> coveredCandidates(MapKey key) {
                return key.identity() == 0 ? byId.values() : List.of(bucket(key.identity()));
            }

            void put(MapKey k, MapEntry e) {
                bucket(k.identity()).put(k, e);
            }

            Map<MapKey, MapEntry> flat() {
                Map<MapKey, MapEntry> all = new TreeMap<>();
                byId.values().forEach(all::putAll);
                return all;
            }
        }

        /** Skip when a broader-or-equal deny exists; else drop every narrower-or-equal key it overrides. */
        private static void insertDeny(Entries map, MapKey key, MapEntry entry) {
            for (Map<MapKey, MapEntry> bucket : map.coverCandidates(key)) {
                for (Map.Entry<MapKey, MapEntry> e : bucket.entrySet()) {
                    if (e.getValue().deny() && e.getKey().covers(key)) {
                        if (e.getKey().equals(key)) {
                            e.setValue(e.getValue().mergeDerivedFrom(entry.derivedFrom()));
                        }
                        return;
                    }
                }
            }
            for (Map<MapKey, MapEntry> bucket : map.coveredCandidates(key)) {
                bucket.keySet().removeIf(key::covers);
            }
            map.put(key, entry);
        }

        /**
         * Skip when a broader-or-equal key denies or redirects with higher priority, or when the
         * same-port wildcard-identity entry already says the same ({@code L4Filter.toMapState}).
         */
        private static void insertAllow(Entries map, MapKey key, MapEntry entry) {
            for (Map<MapKey, MapEntry> bucket : map.coverCandidates(key)) {
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
                    boolean samePortWildcard = k.identity() == 0 && key.identity() != 0 && key.port() != 0
                            && k.withIdentity(key.identity()).equals(key) && v.sameVerdict(entry);
                    if (samePortWildcard) {
                        return;
                    }
                }
            }
            if (entry.isRedirect()) {
                for (Map<MapKey, MapEntry> bucket : map.coveredCandidates(key)) {
                    bucket.entrySet().removeIf(e -> !e.getValue().deny() && key.covers(e.getKey())
                            && e.getValue().proxyPriority() < entry.proxyPriority());
                }
            }
            map.put(key, entry);
        }

        /**
         * A peer-specific deny that is broader than a wildcard-identity allow gets a deny at that
         * allow's port too, so the datapath's longest-prefix match can never pick the allow for that
         * peer (Cilium's deny "dependents"; Test_MergeRules rows 34, 40, ...).
         */
        private static void addDenyDependents(Entries map) {
            List<Map.Entry<MapKey, MapEntry>> added = new ArrayList<>();
            Map<MapKey, MapEntry> wildcard = map.bucket(0);
            for (Map.Entry<MapKey, MapEntry> d : map.flat().entrySet()) {
                if (!d.getValue().deny() || d.getKey().identity() == 0) {
                    continue;
                }
                for (Map.Entry<MapKey, MapEntry> a : wildcard.entrySet()) {
                    MapKey ak = a.getKey();
                    if (!a.getValue().deny() && ak.identity() == 0 && d.getKey().coversPorts(ak)) {
                        added.add(Map.entry(ak.withIdentity(d.getKey().identity()), d.getValue()));
                    }
                }
            }
            for (Map.Entry<MapKey, MapEntry> e : added) {
                map.bucket(e.getKey().identity()).putIfAbsent(e.getKey(), e.getValue());
            }
        }
    }
}
