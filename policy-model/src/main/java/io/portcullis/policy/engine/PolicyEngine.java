package io.portcullis.policy.engine;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.selector.Selector;
import io.portcullis.policy.selector.SelectorCache;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The policy repository with its selector cache and a cache of resolved policies, kept incremental
 * ({@code pkg/policy/repository.go} + {@code distillery.go}):
 * <ul>
 *   <li>a changed policy invalidates only the subjects its old or new rules select;</li>
 *   <li>a new, changed or removed identity invalidates the identity's own subjects; every other
 *       cached policy that uses a selector whose selections changed only has that peer's map entries
 *       recomputed ({@link PolicyResolver#updatePeer}), as Cilium applies incremental map changes
 *       instead of regenerating;</li>
 *   <li>resolution and peer updates happen lazily in {@link #policyFor(Subject)} and are cached until
 *       invalidated.</li>
 * </ul>
 *
 * <p>Concurrency: not thread-safe. One writer thread owns an engine (the compiler's update loop);
 * the {@link EndpointPolicy} objects it hands out are immutable and may be shared freely.
 */
public final class PolicyEngine {

    private final RuleTranslator translator;
    private final SelectorCache selectors = new SelectorCache();
    private final Map<String, CiliumPolicy> policies = new LinkedHashMap<>();
    private final Map<String, List<TranslatedRule>> rulesByPolicy = new HashMap<>();
    /** Namespace → CNP keys in it; CCNP rules live under the null key. */
    private final Map<String, Set<String>> policiesByNamespace = new HashMap<>();
    private final Map<Subject, EndpointPolicy> resolved = new HashMap<>();
    /**
     * Identities by their {@code k8s:io.kubernetes.pod.namespace} label: a CNP's rules select only
     * identities of its namespace, so a CNP change looks at those alone.
     */
    private final Map<String, Map<Long, Identity>> identitiesByNamespace = new HashMap<>();
    /** Cached policies whose map is behind on these peer identities; applied by {@link #policyFor}. */
    private final Map<Subject, Set<Long>> stalePeers = new HashMap<>();
    private Map<String, Integer> egressNamedPorts = Map.of();
    private long revision;

    public PolicyEngine(EngineConfig config) {
        this.translator = new RuleTranslator(config);
    }

    /** Monotonic: bumped by every policy change. */
    public long revision() {
        return revision;
    }

    public Collection<CiliumPolicy> policies() {
        return policies.values();
    }

    public CiliumPolicy policy(String key) {
        return policies.get(key);
    }

    /** Adds or replaces a validated policy; returns the identities whose policy changed. */
    public Set<Long> upsertPolicy(CiliumPolicy policy) {
        String key = policy.key();
        List<TranslatedRule> old = rulesByPolicy.get(key);
        List<TranslatedRule> now = translator.translate(policy);
        now.forEach(r -> peerSelectors(r).forEach(selectors::register));
        if (old != null) {
            old.forEach(r -> peerSelectors(r).forEach(selectors::unregister));
        }
        policies.put(key, policy);
        rulesByPolicy.put(key, now);
        policiesByNamespace.computeIfAbsent(now.isEmpty() ? null : now.get(0).namespace(), k -> new HashSet<>()).add(key);
        revision++;
        return invalidateSubjectsOf(old == null ? now : concat(old, now));
    }

    /** Removes a policy; returns the identities whose policy changed (empty when it was unknown). */
    public Set<Long> deletePolicy(String key) {
        List<TranslatedRule> old = rulesByPolicy.remove(key);
        if (old == null) {
            return Set.of();
        }
        policies.remove(key);
        policiesByNamespace.values().forEach(s -> s.remove(key));
        old.forEach(r -> peerSelectors(r).forEach(selectors::unregister));
        revision++;
        return invalidateSubjectsOf(old);
    }

    /** Adds or replaces an identity; returns the identities whose policy changed. */
    public Set<Long> upsertIdentity(Identity identity) {
        Identity old = selectors.identity(identity.id());
        if (old != null) {
            indexByNamespace(old, false);
        }
        indexByNamespace(identity, true);
        Set<Selector> changed = selectors.upsertIdentity(identity);
        return invalidate(changed, identity.id());
    }

    public Set<Long> removeIdentity(long id) {
        Identity old = selectors.identity(id);
        if (old != null) {
            indexByNamespace(old, false);
        }
        Set<Selector> changed = selectors.removeIdentity(id);
        return invalidate(changed, id);
    }

    /**
     * Named ports of every known endpoint, for egress rules (v1.18: a name that maps to different
     * numbers on different pods is skipped; pass it with a null value or leave it out).
     */
    public Set<Long> setEgressNamedPorts(Map<String, Integer> ports) {
        if (ports.equals(egressNamedPorts)) {
            return Set.of();
        }
        egressNamedPorts = Map.copyOf(ports);
        Set<Long> affected = new TreeSet<>();
        resolved.keySet().forEach(s -> affected.add(s.identity().id()));
        resolved.clear();
        stalePeers.clear();
        return affected;
    }

    public Identity identity(long id) {
        return selectors.identity(id);
    }

    public Collection<Identity> identities() {
        return selectors.identities();
    }

    public SelectorCache selectorCache() {
        return selectors;
    }

    /** The subject's resolved policy, from cache when nothing it depends on changed. */
    public EndpointPolicy policyFor(Subject subject) {
        EndpointPolicy p = resolved.get(subject);
        if (p == null) {
            p = PolicyResolver.resolve(subject, selectingRules(subject.identity()), selectors, egressNamedPorts);
            resolved.put(subject, p);
        } else {
            Set<Long> stale = stalePeers.remove(subject);
            if (stale != null) {
                for (long peer : stale) {
                    p = PolicyResolver.updatePeer(p, peer, selectors);
                }
                resolved.put(subject, p);
            }
        }
        return p;
    }

    private void indexByNamespace(Identity identity, boolean add) {
        String ns = namespaceOf(identity);
        if (add) {
            identitiesByNamespace.computeIfAbsent(ns, k -> new HashMap<>()).put(identity.id(), identity);
        } else {
            Map<Long, Identity> m = identitiesByNamespace.get(ns);
            if (m != null && m.remove(identity.id()) != null && m.isEmpty()) {
                identitiesByNamespace.remove(ns);
            }
        }
    }

    /** The identity's namespace, or null when it has none (reserved, CIDR and FQDN identities). */
    private static String namespaceOf(Identity identity) {
        Label ns = identity.labels().find(Label.SOURCE_K8S, EndpointLabels.POD_NAMESPACE_LABEL);
        return ns == null ? null : ns.value();
    }

    /** The rules whose subject selects this identity: its namespace's CNPs and every CCNP. */
    public List<TranslatedRule> selectingRules(Identity identity) {
        Label ns = identity.labels().find(Label.SOURCE_K8S, EndpointLabels.POD_NAMESPACE_LABEL);
        List<TranslatedRule> out = new ArrayList<>();
        for (String scope : ns == null ? List.<String>of() : List.of(ns.value())) {
            addSelecting(out, policiesByNamespace.get(scope), identity);
        }
        addSelecting(out, policiesByNamespace.get(null), identity);
        return out;
    }

    private void addSelecting(List<TranslatedRule> out, Set<String> keys, Identity identity) {
        if (keys == null) {
            return;
        }
        for (String key : new TreeSet<>(keys)) {
            for (TranslatedRule r : rulesByPolicy.get(key)) {
                if (r.subject().matches(identity.labels())) {
                    out.add(r);
                }
            }
        }
    }

    private Set<Long> invalidateSubjectsOf(List<TranslatedRule> rules) {
        Set<Long> affected = new TreeSet<>();
        if (rules.isEmpty()) {
            return affected;
        }
        // A CNP's rules all carry its namespace, and their subjects require it; a CCNP's carry null.
        String ns = rules.get(0).namespace();
        Collection<Identity> candidates;
        if (ns != null && rules.stream().allMatch(r -> ns.equals(r.namespace()))) {
            candidates = identitiesByNamespace.getOrDefault(ns, Map.of()).values();
        } else {
            candidates = selectors.identities();
        }
        for (Identity id : candidates) {
            for (TranslatedRule r : rules) {
                if (r.subject().matches(id.labels())) {
                    affected.add(id.id());
                    break;
                }
            }
        }
        if (!affected.isEmpty()) {
            resolved.keySet().removeIf(s -> affected.contains(s.identity().id()));
            stalePeers.keySet().removeIf(s -> affected.contains(s.identity().id()));
        }
        return affected;
    }

    /**
     * After identity {@code identity} appeared, changed or went away: its own subjects are resolved
     * anew (the rules selecting them may differ); every other cached policy using a changed selector
     * gets that peer's entries recomputed on its next {@link #policyFor}.
     */
    private Set<Long> invalidate(Set<Selector> changed, long identity) {
        Set<Long> affected = new TreeSet<>();
        affected.add(identity);
        for (Iterator<Map.Entry<Subject, EndpointPolicy>> it = resolved.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Subject, EndpointPolicy> e = it.next();
            long id = e.getKey().identity().id();
            if (id == identity) {
                it.remove();
                stalePeers.remove(e.getKey());
            } else if (!changed.isEmpty() && intersects(e.getValue().selectors(), changed)) {
                affected.add(id);
                stalePeers.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(identity);
            }
        }
        return affected;
    }

    private static boolean intersects(Set<Selector> a, Set<Selector> b) {
        Set<Selector> small = a.size() < b.size() ? a : b;
        Set<Selector> large = small == a ? b : a;
        for (Selector s : small) {
            if (large.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static List<Selector> peerSelectors(TranslatedRule r) {
        List<Selector> out = new ArrayList<>();
        r.ingress().forEach(pr -> out.addAll(pr.peers()));
        r.egress().forEach(pr -> out.addAll(pr.peers()));
        return out;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
