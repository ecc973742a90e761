package io.portcullis.policy.verdict;

import java.util.List;

/** A flow's verdict: allowed only when neither the source's egress nor the destination's ingress denies. */
public record Verdict(Decision verdict, DirectionVerdict egress, DirectionVerdict ingress, List<String> policies,
                      String reason) {

    public Verdict {
        policies = List.copyOf(policies);
    }

    public boolean allowed() {
        return verdict == Decision.ALLOWED;
    }
}
