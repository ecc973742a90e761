package io.portcullis.mesh.compiled;

import io.portcullis.policy.engine.DirectionPolicy;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.L4Filter;
import io.portcullis.policy.engine.L7RuleSet;
import io.portcullis.policy.engine.PerSelectorPolicy;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.mapstate.MapEntry;
import io.portcullis.policy.mapstate.MapKey;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.mapstate.ProxyParser;
import io.portcullis.policy.selector.Operator;
import io.portcullis.policy.selector.Requirement;
import io.portcullis.policy.selector.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@link EndpointPolicy} ⇄ {@link EndpointPolicyRecord}: what the compiler sends and a node enforces. */
public final class EndpointPolicyCodec {

    private EndpointPolicyCodec() {}

    public static EndpointPolicyRecord encode(String node, String endpoint, long revision, EndpointPolicy p) {
        List<EndpointPolicyRecord.Entry> entries = new ArrayList<>();
        // Sorted (Set.of iterates in a per-JVM order: the same map must encode to the same bytes after a
        // restart) and shared between the entries of one provenance.
        Map<Set<String>, List<String>> names = new HashMap<>();
        p.mapState().forEach((k, v) -> entries.add(new EndpointPolicyRecord.Entry(k.identity(),
                k.direction().name(), k.protocol().name(), k.port(), k.prefixLen(), v.deny(), v.parser().name(),
                names.computeIfAbsent(v.derivedFrom(), s -> List.copyOf(new java.util.TreeSet<>(s))))));
        return new EndpointPolicyRecord(EndpointPolicyRecord.SCHEMA_VERSION, node, endpoint,
                p.subject().identity().id(), revision, entries, encode(p.ingress()), encode(p.egress()));
    }

    /** Rebuilds the enforceable policy; {@code subject} is the endpoint as the node knows it. */
    public static EndpointPolicy decode(EndpointPolicyRecord r, Subject subject) {
        Map<MapKey, MapEntry> entries = new TreeMap<>();
        // Thousands of entries share a verdict and provenance: one MapEntry each, not one per map key.
        Map<List<Object>, MapEntry> shared = new HashMap<>();
        for (EndpointPolicyRecord.Entry e : r.entries()) {
            MapEntry value = shared.computeIfAbsent(List.of(e.deny(), e.proxy(), e.derivedFrom()),
                    k -> new MapEntry(e.deny(), ProxyParser.valueOf(e.proxy()), Set.copyOf(e.derivedFrom())));
            entries.put(new MapKey(e.identity(), io.portcullis.policy.mapstate.Direction.valueOf(e.direction()),
                            Protocol.valueOf(e.protocol()), e.port(), e.prefixLen()), value);
        }
        DirectionPolicy in = decode(r.ingress());
        DirectionPolicy eg = decode(r.egress());
        Set<Selector> selectors = new HashSet<>();
        for (DirectionPolicy d : List.of(in, eg)) {
            d.filters().forEach(f -> selectors.addAll(f.perSelector().keySet()));
        }
        return new EndpointPolicy(subject, MapState.ofResolved(entries), in, eg, selectors, Set.of());
    }

    private static EndpointPolicyRecord.Direction encode(DirectionPolicy d) {
        List<EndpointPolicyRecord.Filter> filters = new ArrayList<>();
        for (L4Filter f : d.filters()) {
            List<EndpointPolicyRecord.SelectorPolicy> rules = new ArrayList<>();
            f.perSelector().forEach((sel, psp) -> rules.add(new EndpointPolicyRecord.SelectorPolicy(
                    sel.requirements().stream().map(q -> new EndpointPolicyRecord.Requirement(
                            q.source(), q.key(), q.operator().name(), q.values())).toList(),
                    psp.deny(), psp.l7().parser().name(), psp.l7().http(), psp.l7().kafka(), psp.l7().dns(),
                    sorted(psp.derivedFrom()))));
            filters.add(new EndpointPolicyRecord.Filter(f.protocol().name(), f.port(), f.endPort(), rules));
        }
        return new EndpointPolicyRecord.Direction(d.enforced(), d.defaultDeny(), sorted(d.defaultDenyPolicies()),
                d.error(), filters);
    }

    private static DirectionPolicy decode(EndpointPolicyRecord.Direction d) {
        List<L4Filter> filters = new ArrayList<>();
        for (EndpointPolicyRecord.Filter f : d.filters()) {
            Map<Selector, PerSelectorPolicy> per = new LinkedHashMap<>();
            for (EndpointPolicyRecord.SelectorPolicy sp : f.rules()) {
                Selector sel = new Selector(sp.selector().stream().map(q -> new Requirement(
                        q.source(), q.key(), Operator.valueOf(q.operator()), q.values())).toList());
                L7RuleSet l7 = new L7RuleSet(ProxyParser.valueOf(sp.parser()), nullSafe(sp.http()),
                        nullSafe(sp.kafka()), nullSafe(sp.dns()));
                per.put(sel, new PerSelectorPolicy(sp.deny(), l7, Set.copyOf(sp.derivedFrom())));
            }
            filters.add(new L4Filter(Protocol.valueOf(f.protocol()), f.port(), f.endPort(), per));
        }
        return new DirectionPolicy(d.enforced(), d.defaultDeny(), Set.copyOf(nullSafe(d.defaultDenyPolicies())),
                filters, d.error());
    }

    private static List<String> sorted(Set<String> names) {
        return List.copyOf(new java.util.TreeSet<>(names));
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }

    /**
     * A digest of everything in the record but its revision (and schema version): two records with the same
     * digest carry the same map, filters, identity and audit list. For change detection without keeping the
     * records.
     */
    public static String digest(EndpointPolicyRecord r) {
        EndpointPolicyRecord content = new EndpointPolicyRecord(0, r.node(), r.endpoint(), r.identity(), 0,
                r.entries(), r.ingress(), r.egress(), r.auditPoliciesOrEmpty().isEmpty() ? null : r.auditPolicies());
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(io.portcullis.mesh.MeshJson.encode(content));
            return java.util.Base64.getEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    /** Every policy the record names (map entries, default-deny enablers, L7 rules), sorted. */
    public static List<String> policyNames(EndpointPolicyRecord r) {
        Set<String> names = new java.util.TreeSet<>();
        r.entries().forEach(e -> names.addAll(e.derivedFrom()));
        for (EndpointPolicyRecord.Direction d : List.of(r.ingress(), r.egress())) {
            names.addAll(nullSafe(d.defaultDenyPolicies()));
            d.filters().forEach(f -> f.rules().forEach(sp -> names.addAll(sp.derivedFrom())));
        }
        return List.copyOf(names);
    }

    /** Convenience: the subject of a decoded record when the node has no named ports for it. */
    public static Subject subject(Identity identity) {
        return Subject.of(identity);
    }
}
