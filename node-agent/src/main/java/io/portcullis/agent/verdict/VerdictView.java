package io.portcullis.agent.verdict;

import io.portcullis.policy.mapstate.ProxyParser;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.DirectionVerdict;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;

/**
 * The answer of {@code POST /v1/verdicts}: {@code verdict} is {@code ALLOWED} or {@code DENIED};
 * {@code egress} is the source's side, {@code ingress} the destination's ({@code NOT_EVALUATED} for a side
 * that is no local endpoint); {@code policies} are the policies that decided. {@code audit}: the
 * audit-mode policies that would have denied this flow (it is {@code ALLOWED} because of them); absent otherwise.
 */
public record VerdictView(Decision verdict, Side egress, Side ingress, List<String> policies, String reason,
                          PeerView from, PeerView to, List<String> audit) {

    /**
     * @param matchedKey the policy map entry that decided, absent for a default deny or no enforcement
     * @param redirect   the L7 proxy the flow goes through ({@code http}, {@code kafka}, {@code dns}), if any
     */
    public record Side(Decision decision, boolean enforced, String matchedKey, String redirect,
                       List<String> policies, String reason) {

        static Side of(DirectionVerdict v) {
            return new Side(v.decision(), v.enforced(), v.matchedKey(),
                    v.redirect() == ProxyParser.NONE ? null : v.redirect().lower(),
                    v.policies().stream().sorted().toList(), v.reason());
        }
    }

    public static VerdictView of(Verdict v, FlowMapper.Mapped m) {
        return new VerdictView(v.verdict(), Side.of(v.egress()), Side.of(v.ingress()), v.policies(), v.reason(),
                m.from(), m.to(), null);
    }

    /** A verdict that audit mode turned into an allow. */
    public VerdictView audited(List<String> auditPolicies) {
        return new VerdictView(Decision.ALLOWED, egress, ingress, policies, "audit mode: " + reason, from, to,
                List.copyOf(auditPolicies));
    }
}
