package io.portcullis.policy.fqdn;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.engine.FqdnLabels;
import io.portcullis.policy.l7.dns.DnsNameMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every {@code toFQDNs} selector of every policy, and which of them select a set of names (§4.6): an IP
 * is selected by a selector when any name cached for it matches; its FQDN identity then carries the
 * selector's {@code fqdn:} label ({@link FqdnLabels#key}). Not thread-safe.
 */
public final class FqdnSelections {

    /** policy key → its selectors' label keys → matcher. */
    private final Map<String, Map<String, DnsNameMatcher>> byPolicy = new HashMap<>();
    /** label key → matcher, over all policies. */
    private Map<String, DnsNameMatcher> selectors = Map.of();

    /** A policy applied (or changed); true when the set of selectors changed. */
    public boolean put(CiliumPolicy policy) {
        Map<String, DnsNameMatcher> mine = new TreeMap<>();
        for (Rule r : policy.rules()) {
            for (EgressRule er : r.egress() == null ? List.<EgressRule>of() : r.egress()) {
                for (FQDNSelector s : er.toFQDNs() == null ? List.<FQDNSelector>of() : er.toFQDNs()) {
                    mine.put(FqdnLabels.key(s), DnsNameMatcher.anyOf(List.of(s)));
                }
            }
        }
        Map<String, DnsNameMatcher> old = mine.isEmpty() ? byPolicy.remove(policy.key()) : byPolicy.put(policy.key(), mine);
        return changed(old, mine);
    }

    /** A policy deleted; true when the set of selectors changed. */
    public boolean remove(String policyKey) {
        return changed(byPolicy.remove(policyKey), Map.of());
    }

    /** Rebuilds the union; true when its set of label keys changed (another policy may hold the same). */
    private boolean changed(Map<String, DnsNameMatcher> old, Map<String, DnsNameMatcher> neu) {
        if ((old == null ? Map.of() : old).keySet().equals(neu.keySet())) {
            return false;
        }
        Map<String, DnsNameMatcher> all = new TreeMap<>();
        byPolicy.values().forEach(all::putAll);
        boolean changed = !all.keySet().equals(selectors.keySet());
        selectors = all;
        return changed;
    }

    /** The label keys of the selectors that match any of the names, sorted; empty when none. */
    public List<String> select(Collection<String> names) {
        TreeSet<String> out = new TreeSet<>();
        if (names.isEmpty()) {
            return List.of();
        }
        selectors.forEach((key, m) -> {
            for (String n : names) {
                if (m.matches(n)) {
                    out.add(key);
                    return;
                }
            }
        });
        return new ArrayList<>(out);
    }

    public int selectorCount() {
        return selectors.size();
    }
}
