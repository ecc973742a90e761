package io.portcullis.agent.flow;

import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.DirectionVerdict;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Audit mode per policy: a denied flow is let through as {@code AUDIT} when, on every side that denied it,
 * all the deciding policies are in audit mode on that side's endpoint. A deny nobody can be blamed for
 * (fail-closed while waiting for a map, an unresolvable policy) is never audited.
 */
public final class Audit {

    /** The enforced outcome and the policies to record with it. */
    public record Outcome(FlowVerdict verdict, List<String> policies) {
        public boolean allowed() {
            return verdict != FlowVerdict.DENIED;
        }
    }

    private Audit() {}

    /**
     * @param egressAudit  audit-mode policies of the source endpoint's map (empty for a remote source)
     * @param ingressAudit audit-mode policies of the destination endpoint's map
     */
    public static Outcome apply(Verdict v, Set<String> egressAudit, Set<String> ingressAudit) {
        if (v.verdict() != Decision.DENIED) {
            return new Outcome(FlowVerdict.ALLOWED, v.policies());
        }
        Set<String> audited = new TreeSet<>();
        if (!audits(v.egress(), egressAudit, audited) || !audits(v.ingress(), ingressAudit, audited)) {
            return new Outcome(FlowVerdict.DENIED, v.policies());
        }
        return new Outcome(FlowVerdict.AUDIT, List.copyOf(audited));
    }

    private static boolean audits(DirectionVerdict side, Set<String> audit, Set<String> audited) {
        if (side.decision() != Decision.DENIED) {
            return true;
        }
        if (side.policies().isEmpty() || !audit.containsAll(side.policies())) {
            return false;
        }
        audited.addAll(side.policies());
        return true;
    }
}
