package io.portcullis.policy.engine;

import io.portcullis.policy.mapstate.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The resolved policy of one direction of one subject.
 *
 * @param enforced            false when no rule selecting the subject has this direction: all allowed
 * @param defaultDeny         true when some such rule enables default deny (else a synthetic allow-all is in)
 * @param defaultDenyPolicies the policies that put the subject into default deny, for deny verdicts
 * @param filters             the L4 filters, for the L7 proxies
 * @param error               non-null when resolution failed (e.g. conflicting L7 parsers): all denied
 */
public record DirectionPolicy(boolean enforced, boolean defaultDeny, Set<String> defaultDenyPolicies,
                              List<L4Filter> filters, String error) {

    public DirectionPolicy {
        defaultDenyPolicies = Set.copyOf(defaultDenyPolicies);
        filters = List.copyOf(filters);
    }

    /** The filters a packet with this protocol and port falls under. */
    public List<L4Filter> filtersFor(Protocol protocol, int port) {
        List<L4Filter> out = new ArrayList<>();
        for (L4Filter f : filters) {
            if (f.covers(protocol, port)) {
                out.add(f);
            }
        }
        return out;
    }
}
