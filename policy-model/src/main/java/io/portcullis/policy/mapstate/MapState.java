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
public final class MapState {

    private final Map<MapKey, MapEntry> entries;

    private MapState(Map<MapKey, MapEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static final MapState EMPTY = new MapState(new TreeMap<>());

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
        for (Map.Entry<MapKey, MapEntry> e : entries.entrySet()) {
            MapKey k = e.getKey();
            if (k.identity() == id && k.direction() == dir && k.matchesPort(proto, port)
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
        return o instanceof MapState m && entries.equals(m.entries);
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

        public MapState build() {
            List<Map.Entry<MapKey, MapEntry>> ordered = new ArrayList<>(candidates.entrySet());
            ordered.sort(CANONICAL);
            Map<MapKey, MapEntry> map = new TreeMap<>();
            for (Map.Entry<MapKey, MapEntry> c : ordered) {
                if (c.getValue().deny()) {
                    insertDeny(map, c.getKey(), c.getValue());
                } else {
                    insertAllow(map, c.getKey(), c.getValue());
                }
            }
            addDenyDependents(map);
            return new MapState(map);
        }

        /** Skip when a broader-or-equal deny exists; else drop every narrower-or-equal key it overrides. */
        private static void insertDeny(Map<MapKey, MapEntry> map, MapKey key, MapEntry entry) {
            for (Map.Entry<MapKey, MapEntry> e : map.entrySet()) {
                if (e.getValue().deny() && e.getKey().covers(key)) {
                    if (e.getKey().equals(key)) {
                        e.setValue(e.getValue().mergeDerivedFrom(entry.derivedFrom()));
                    }
                    return;
                }
            }
            map.keySet().removeIf(k -> key.covers(k));
            map.put(key, entry);
        }

        /**
         * Skip when a broader-or-equal key denies or redirects with higher priority, or when the
         * same-port wildcard-identity entry already says the same ({@code L4Filter.toMapState}).
         */
        private static void insertAllow(Map<MapKey, MapEntry> map, MapKey key, MapEntry entry) {
            for (Map.Entry<MapKey, MapEntry> e : map.entrySet()) {
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
                boolean samePortWildcard = k.identity() == 0 && key.identity() != 0
                        && k.withIdentity(key.identity()).equals(key) && v.sameVerdict(entry);
                if (samePortWildcard) {
                    return;
                }
            }
            if (entry.isRedirect()) {
                map.entrySet().removeIf(e -> !e.getValue().deny() && key.covers(e.getKey())
                        && e.getValue().proxyPriority() < entry.proxyPriority());
            }
            map.put(key, entry);
        }

        /**
         * A peer-specific deny that is broader than a wildcard-identity allow gets a deny at that
         * allow's port too, so the datapath's longest-prefix match can never pick the allow for that
         * peer (Cilium's deny "dependents"; Test_MergeRules rows 34, 40, ...).
         */
        private static void addDenyDependents(Map<MapKey, MapEntry> map) {
            List<Map.Entry<MapKey, MapEntry>> added = new ArrayList<>();
            for (Map.Entry<MapKey, MapEntry> d : map.entrySet()) {
                if (!d.getValue().deny() || d.getKey().identity() == 0) {
                    continue;
                }
                for (Map.Entry<MapKey, MapEntry> a : map.entrySet()) {
                    MapKey ak = a.getKey();
                    if (!a.getValue().deny() && ak.identity() == 0 && d.getKey().coversPorts(ak)) {
                        added.add(Map.entry(ak.withIdentity(d.getKey().identity()), d.getValue()));
                    }
                }
            }
            for (Map.Entry<MapKey, MapEntry> e : added) {
                map.putIfAbsent(e.getKey(), e.getValue());
            }
        }
    }
}
