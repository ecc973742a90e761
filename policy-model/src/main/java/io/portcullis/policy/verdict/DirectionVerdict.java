package io.portcullis.policy.verdict;

import io.portcullis.policy.mapstate.ProxyParser;
import java.util.Set;

/**
 * The verdict of one endpoint's policy in one direction.
 *
 * @param matchedKey the policy map key that decided, or null (not enforced, default deny, not evaluated)
 * @param redirect   the L7 proxy the flow is redirected to, {@link ProxyParser#NONE} when none
 * @param policies   the policies that decided (for a default deny: those that enabled it)
 */
public record DirectionVerdict(Decision decision, boolean enforced, String matchedKey, ProxyParser redirect,
                               Set<String> policies, String reason) {

    public DirectionVerdict {
        policies = Set.copyOf(policies);
    }

    static DirectionVerdict notEvaluated(String why) {
        return new DirectionVerdict(Decision.NOT_EVALUATED, false, null, ProxyParser.NONE, Set.of(), why);
    }

    public boolean denied() {
        return decision == Decision.DENIED;
    }
}
