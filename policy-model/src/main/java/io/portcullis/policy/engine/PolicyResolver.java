package io.portcullis.policy.engine;

import io.portcullis.policy.api.PortSpec;
import io.portcullis.policy.engine.TranslatedRule.PeerRule;
import io.portcullis.policy.engine.TranslatedRule.PortSelection;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.MapEntry;
import io.portcullis.policy.mapstate.MapKey;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.mapstate.PortRanges;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.selector.Selector;
import io.portcullis.policy.selector.SelectorCache;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves the rules that select one subject into its {@link EndpointPolicy}
 * ({@code repository.go computePolicyEnforcementAndRules}, {@code rule.go mergePortProto},
 * {@code l4.go toMapState}). Stateless: selections come from the {@link SelectorCache}, in which
 * every peer selector of the given rules must be registered.
 */
public final class PolicyResolver {

    /** The derived-from name of the synthetic allow-all rule of a default-allow direction (§3.8). */
    public static String allowAnyName(Direction d) {
        return "allow-any-" + d.lower();
    }

    private PolicyResolver() {}

    /**
     * @param rules          the rules whose subject selects this subject (the caller filters)
     * @param egressNamedPorts named ports of every known endpoint; a name with conflicting numbers maps to null
     */
    public static EndpointPolicy resolve(Subject subject, List<TranslatedRule> rules, SelectorCache cache,
                                         Map<String, Integer> egressNamedPorts) {
        Set<String> policies = new TreeSet<>();
        rules.forEach(r -> policies.add(r.policy()));
        // An endpoint that has no labels yet (reserved:init) is always enforced, default deny, both ways
        // (repository.go computePolicyEnforcementAndRules; TestComputePolicyEnforcementAndRules).
        boolean init = subject.identity().labels().find(Label.SOURCE_RESERVED, "init") != null;
        DirectionPolicy in = resolveDirection(Direction.INGRESS, init, subject.namedPorts(), rules);
        DirectionPolicy eg = resolveDirection(Direction.EGRESS, init, egressNamedPorts, rules);
        MapState.Builder map = MapState.builder();
        Set<Selector> used = new HashSet<>();
        emit(Direction.INGRESS, in, cache, map, used);
        emit(Direction.EGRESS, eg, cache, map, used);
        return new EndpointPolicy(subject, map.build(), in, eg, used, policies);
    }

    /**
     * The same policy with the map entries of one peer identity recomputed from the selector cache's
     * current selections: what an identity that appeared, changed its labels or went away does to a
     * resolved policy. Rules, filters and used selectors do not depend on selections, so this equals
     * resolving again; identities the subject's own rules select are not peers and need that instead.
     */
    public static EndpointPolicy updatePeer(EndpointPolicy policy, long identity, SelectorCache cache) {
        MapState.Builder map = MapState.builder();
        emitPeer(Direction.INGRESS, policy.ingress(), identity, cache, map);
        emitPeer(Direction.EGRESS, policy.egress(), identity, cache, map);
        MapState updated = map.buildIdentity(policy.mapState(), identity);
        return updated == policy.mapState() ? policy
                : new EndpointPolicy(policy.subject(), updated, policy.ingress(), policy.egress(), policy.selectors(), policy.policies());
    }

    /** Map candidates of one direction: every filter × selector × selected identity × masked port. */
    private static void emit(Direction dir, DirectionPolicy dp, SelectorCache cache, MapState.Builder map, Set<Selector> used) {
        if (!dp.enforced()) {
            map.add(MapKey.allPorts(0, dir, Protocol.ANY), MapEntry.allow());
            return;
        }
        for (L4Filter f : dp.filters()) {
            List<PortRanges.MaskedPort> masked = masked(f);
            f.perSelector().forEach((sel, psp) -> {
                used.add(sel);
                MapEntry entry = entry(psp);
                if (sel.isWildcard()) {
                    addAll(map, 0, dir, f.protocol(), masked, entry);
                } else {
                    for (long id : cache.selections(sel)) {
                        addAll(map, id, dir, f.protocol(), masked, entry);
                    }
                }
            });
        }
    }

    /** {@link #emit} restricted to one peer identity (never 0). */
    private static void emitPeer(Direction dir, DirectionPolicy dp, long identity, SelectorCache cache, MapState.Builder map) {
        for (L4Filter f : dp.filters()) {
            List<PortRanges.MaskedPort> masked = null;
            for (Map.Entry<Selector, PerSelectorPolicy> e : f.perSelector().entrySet()) {
                Selector sel = e.getKey();
                if (!sel.isWildcard() && cache.selects(sel, identity)) {
                    if (masked == null) {
                        masked = masked(f);
                    }
                    addAll(map, identity, dir, f.protocol(), masked, entry(e.getValue()));
                }
            }
        }
    }

    private static List<PortRanges.MaskedPort> masked(L4Filter f) {
        return f.protocol() == Protocol.ANY
                ? List.of(new PortRanges.MaskedPort(0, 0))
                : PortRanges.toMaskedPorts(f.port(), f.endPort());
    }

    private static MapEntry entry(PerSelectorPolicy psp) {
        return new MapEntry(psp.deny(), psp.l7().parser(), psp.derivedFrom());
    }

    private static void addAll(MapState.Builder map, long id, Direction dir, Protocol proto,
                               List<PortRanges.MaskedPort> masked, MapEntry entry) {
        for (PortRanges.MaskedPort mp : masked) {
            map.add(new MapKey(id, dir, proto, mp.port(), mp.prefixLen()), entry);
        }
    }

    private static DirectionPolicy resolveDirection(Direction dir, boolean alwaysDefaultDeny,
                                                    Map<String, Integer> namedPorts, List<TranslatedRule> rules) {
        boolean enforced = alwaysDefaultDeny;
        Set<String> defaultDenyBy = new TreeSet<>();
        for (TranslatedRule r : rules) {
            if (r.has(dir)) {
                enforced = true;
                if (r.defaultDeny(dir)) {
                    defaultDenyBy.add(r.policy());
                }
            }
        }
        if (!enforced) {
            return new DirectionPolicy(false, false, Set.of(), List.of(), null);
        }
        boolean defaultDeny = alwaysDefaultDeny || !defaultDenyBy.isEmpty();
        Map<L4Filter.Key, Map<Selector, PerSelectorPolicy>> filters = new LinkedHashMap<>();
        try {
            if (!defaultDeny) {
                merge(filters, new L4Filter.Key(Protocol.ANY, 0, 0), Selector.WILDCARD,
                        new PerSelectorPolicy(false, L7RuleSet.NONE, Set.of(allowAnyName(dir))));
            }
            for (TranslatedRule r : rules) {
                for (PeerRule pr : r.rules(dir)) {
                    for (PortSelection ps : pr.ports()) {
                        L4Filter.Key key = filterKey(ps, namedPorts);
                        if (key == null) {
                            continue; // unresolved named port: no entry
                        }
                        PerSelectorPolicy psp = new PerSelectorPolicy(pr.deny(), ps.l7(), Set.of(r.policy()));
                        for (Selector peer : pr.peers()) {
                            merge(filters, key, peer, psp);
                        }
                    }
                }
            }
        } catch (L7RuleSet.ConflictingL7ParsersException e) {
            // Cilium fails the endpoint's regeneration; a fresh subject gets nothing allowed in this direction.
            return new DirectionPolicy(true, true, defaultDenyBy, List.of(), e.getMessage());
        }
        List<L4Filter> built = filters.entrySet().stream().map(e -> {
            Map<Selector, PerSelectorPolicy> per = e.getValue();
            if (!defaultDeny) {
                // Default-allow + L7 (§3.5 item 5): L7 rules only add visibility.
                per.replaceAll((sel, p) -> p.deny() ? p : new PerSelectorPolicy(false, p.l7().withWildcard(), p.derivedFrom()));
            }
            return new L4Filter(e.getKey().protocol(), e.getKey().port(), e.getKey().endPort(), per);
        }).toList();
        return new DirectionPolicy(true, defaultDeny, defaultDenyBy, built, null);
    }

    private static void merge(Map<L4Filter.Key, Map<Selector, PerSelectorPolicy>> filters, L4Filter.Key key,
                              Selector sel, PerSelectorPolicy psp) throws L7RuleSet.ConflictingL7ParsersException {
        Map<Selector, PerSelectorPolicy> per = filters.computeIfAbsent(key, k -> new LinkedHashMap<>());
        PerSelectorPolicy existing = per.get(sel);
        per.put(sel, existing == null ? psp : existing.merge(psp));
    }

    /**
     * Port number (or named port) → filter key. Port 0 means every port of that protocol only with endPort
     * 0 or 65535; {@code port: 0, endPort: E} is the range [0, E], as Cilium's
     * {@code PortRangeToMaskedPorts(0, E)} makes it (§3.1).
     */
    private static L4Filter.Key filterKey(PortSelection ps, Map<String, Integer> namedPorts) {
        int port;
        int end = ps.endPort();
        switch (ps.port()) {
            case PortSpec.Numeric n -> port = n.port();
            case PortSpec.Named n -> {
                Integer p = namedPorts.get(n.name());
                if (p == null) {
                    return null;
                }
                port = p;
                end = 0; // endPort is ignored for named ports
            }
            case PortSpec.Invalid i -> {
                return null;
            }
        }
        if (port == 0 && (end == 0 || end == 65535)) {
            return new L4Filter.Key(ps.protocol(), 0, 0);
        }
        return new L4Filter.Key(ps.protocol(), port, end > port ? end : 0);
    }
}
