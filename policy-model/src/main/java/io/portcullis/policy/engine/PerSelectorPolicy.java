package io.portcullis.policy.engine;

import java.util.Set;
import java.util.TreeSet;

/** What one selector may do on one L4 filter's port: deny, or allow with optional L7 rules. */
public record PerSelectorPolicy(boolean deny, L7RuleSet l7, Set<String> derivedFrom) {

    public PerSelectorPolicy {
        l7 = deny ? L7RuleSet.NONE : l7;
        derivedFrom = Set.copyOf(derivedFrom);
    }

    /** Same selector, same port, from another rule: deny wins, L7 merges (§3.5 item 3). */
    PerSelectorPolicy merge(PerSelectorPolicy o) throws L7RuleSet.ConflictingL7ParsersException {
        Set<String> from = new TreeSet<>(derivedFrom);
        from.addAll(o.derivedFrom);
        if (deny || o.deny) {
            Set<String> denyFrom = deny && o.deny ? from : (deny ? derivedFrom : o.derivedFrom);
            return new PerSelectorPolicy(true, L7RuleSet.NONE, denyFrom);
        }
        return new PerSelectorPolicy(false, l7.merge(o.l7), from);
    }
}
