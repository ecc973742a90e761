package io.portcullis.compiler.explain;

import io.portcullis.policy.verdict.DirectionVerdict;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;
import java.util.TreeSet;

/**
 * A verdict as the node-agent's {@code /v1/verdicts} shapes it, plus the policy revision of the desired
 * state it was answered from.
 */
public record ExplainResponse(String verdict, Direction egress, Direction ingress, List<String> policies,
                              String reason, long revision) {

    /** One side's verdict; {@code decision} {@code NOT_EVALUATED} when that side is no local endpoint. */
    public record Direction(String decision, boolean enforced, String matchedKey, String redirect,
                            List<String> policies, String reason) {

        static Direction of(DirectionVerdict v) {
            return new Direction(v.decision().name(), v.enforced(), v.matchedKey(), v.redirect().name(),
                    List.copyOf(new TreeSet<>(v.policies())), v.reason());
        }
    }

    public static ExplainResponse of(Verdict v, long revision) {
        return new ExplainResponse(v.verdict().name(), Direction.of(v.egress()), Direction.of(v.ingress()),
                v.policies(), v.reason(), revision);
    }
}
