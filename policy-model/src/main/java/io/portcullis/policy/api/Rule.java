package io.portcullis.policy.api;

import java.util.List;

/** One policy rule: the {@code spec} object, or one element of {@code specs} ({@code pkg/policy/api/rule.go}). */
public record Rule(
        EndpointSelector endpointSelector,
        EndpointSelector nodeSelector,
        List<IngressRule> ingress,
        List<IngressDenyRule> ingressDeny,
        List<EgressRule> egress,
        List<EgressDenyRule> egressDeny,
        List<RuleLabel> labels,
        DefaultDenyConfig enableDefaultDeny,
        String description,
        LogConfig log) {

    /** A direction "has rules" when its allow or deny list is non-empty, even {@code [{}]} (§3.8). */
    public boolean hasIngress() {
        return nonEmpty(ingress) || nonEmpty(ingressDeny);
    }

    public boolean hasEgress() {
        return nonEmpty(egress) || nonEmpty(egressDeny);
    }

    private static boolean nonEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }
}
