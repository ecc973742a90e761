package io.portcullis.policy.mapstate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * <p>The map decomposes by peer identity: a key can only be covered by keys of its own identity or of
 * identity 0, so the entries of identity X depend only on the candidates for X and for 0, and the
 * entries of 0 only on the candidates for 0. {@link Builder#build()} therefore settles identity 0
 * first and then each identity on its own, and {@link Builder#buildIdentity(MapState, long)} redoes
 * a single identity on an existing map: an identity that appears, changes or goes away touches only
 * its own entries (Cilium's incremental map changes).
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class MapState {

    /** Entries by peer identity; no empty buckets, each bucket unmodifiable. */
    private final Map<Long, Map<MapKey, MapEntry>> byIdentity;
    private final int size;
    /** Every entry in key order, built on first use ({@link #entries()}); benign race. */
    private volatile Map<MapKey, MapEntry> sorted;

    private MapState(Map<Long, Map<MapKey, MapEntry>> byIdentity) {
        this.byIdentity = byIdentity;
        int n = 0;
        for (Map<MapKey, MapEntry> b : byIdentity.values()) {
            n += b.size();
        }
        this.size = n;
    }

    public static final MapState EMPTY = new MapState(Map.of());

    /** Every entry, sorted by key; unmodifiable. */
    public Map<MapKey, MapEntry> entries() {
        Map<MapKey, MapEntry> s = sorted;
        if (s == null) {
            TreeMap<MapKey, MapEntry> all = new TreeMap<>();
            List<Long> ids = new ArrayList<>(byIdentity.keySet());
            Collections.sort(ids);
            for (Long id : ids) {
                all.putAll(byIdentity.get(id));
            }
            s = Collections.unmodifiableMap(all);
            sorted = s;
        }
        return s;
    }

    public int size() {
        return size;
    }

    /** The entries of one peer identity (0 = any peer), unmodifiable; empty when none. */
    public Map<MapKey, MapEntry> entriesFor(long identity) {
        return byIdentity.getOrDefault(identity, Map.of());
    }

    public MapEntry get(MapKey key) {
        return entriesFor(key.identity()).get(key);
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
        Match best = null;
        for (Map.Entry<MapKey, MapEntry> e : entriesFor(id).entrySet()) {
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
        return o instanceof MapState m && size == m.size && byIdentity.equals(m.byIdentity);
    }

    @Override
    public int hashCode() {
        return byIdentity.hashCode();
    }

    @Override
    public String toString() {
        return entries().toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects candidate entries; {@link #build()} applies the precedence rules in canonical order. */
    public static final class Builder {

        /** Candidates by identity; two candidates for one key merge on arrival. */
        private final Map<Long, Map<MapKey, MapEntry>> candidates = new HashMap<>();

        /** Adds a candidate; two candidates for one key merge (deny wins, then the higher proxy priority). */
        public Builder add(MapKey key, MapEntry entry) {
            candidates.computeIfAbsent(key.identity(), i -> new HashMap<>(4)).merge(key, entry, Builder::mergeSameKey);
            return this;
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
            Map<MapKey, MapEntry> wildcard = settleWildcard(candidates.get(0L));
            Map<Long, Map<MapKey, MapEntry>> out = new HashMap<>(Math.max(16, candidates.size() * 4 / 3 + 1));
            if (!wildcard.isEmpty()) {
                out.put(0L, Collections.unmodifiableMap(wildcard));
            }
            candidates.forEach((id, cands) -> {
                if (id != 0) {
                    Map<MapKey, MapEntry> bucket = settle(id, cands, wildcard);
                    if (!bucket.isEmpty()) {
                        out.put(id, bucket);
                    }
                }
            });
            return new MapState(out);
        }

        /**
         * {@code base} with the entries of peer {@code identity} (not 0) settled anew from this
         * builder's candidates for it; the builder must hold the candidates of that identity only (any
         * others are ignored), and {@code base} must have been built from the same identity-0
         * candidates. Equal to building every candidate again.
         */
        public MapState buildIdentity(MapState base, long identity) {
            if (identity == 0) {
                throw new IllegalArgumentException("identity 0 is settled by build()");
            }
            Map<MapKey, MapEntry> cands = candidates.get(identity);
            Map<MapKey, MapEntry> bucket = cands == null ? Map.of() : settle(identity, cands, base.entriesFor(0));
            Map<MapKey, MapEntry> old = base.byIdentity.get(identity);
            if (bucket.equals(old == null ? Map.of() : old)) {
                return base;
            }
            Map<Long, Map<MapKey, MapEntry>> out = new HashMap<>(base.byIdentity);
            if (bucket.isEmpty()) {
                out.remove(identity);
            } else {
                out.put(identity, bucket);
            }
            return new MapState(out);
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
            if (cands == null) {
                return bucket;
            }
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
        private static Map<MapKey, MapEntry> settle(long id, Map<MapKey, MapEntry> cands, Map<MapKey, MapEntry> wildcard) {
            TreeMap<MapKey, MapEntry> bucket = new TreeMap<>();
            for (Map.Entry<MapKey, MapEntry> c : ordered(cands)) {
                if (c.getValue().deny()) {
                    insertDeny(wildcard, bucket, c.getKey(), c.getValue());
                } else {
                    insertAllow(wildcard, bucket, c.getKey(), c.getValue());
                }
            }
            addDenyDependents(id, bucket, wildcard);
            return bucket.isEmpty() ? Map.of() : Collections.unmodifiableMap(bucket);
        }

        /**
         * Skip when a broader-or-equal deny exists; else drop every narrower-or-equal key it overrides.
         * {@code wildcard} (identity 0's settled entries, read-only) is searched before {@code bucket}.
         */
        private static void insertDeny(Map<MapKey, MapEntry> wildcard, Map<MapKey, MapEntry> bucket, MapKey key, MapEntry entry) {
            for (Map.Entry<MapKey, MapEntry> e : wildcard.entrySet()) {
                if (e.getValue().deny() && e.getKey().covers(key)) {
                    return; // a different identity: never the same key
                }
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
         * same-port wildcard-identity entry already says the same ({@code L4Filter.toMapState}).
         */
        private static void insertAllow(Map<MapKey, MapEntry> wildcard, Map<MapKey, MapEntry> bucket, MapKey key, MapEntry entry) {
            for (Map.Entry<MapKey, MapEntry> e : wildcard.entrySet()) {
                MapKey k = e.getKey();
                MapEntry v = e.getValue();
                if (!k.covers(key)) {
                    continue;
                }
                if (v.deny() || v.proxyPriority() > entry.proxyPriority()) {
                    return;
                }
                if (k.withIdentity(key.identity()).equals(key) && v.sameVerdict(entry)) {
                    return; // the same-port wildcard entry already says it
                }
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
