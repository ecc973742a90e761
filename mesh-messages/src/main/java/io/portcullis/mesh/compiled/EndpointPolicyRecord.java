package io.portcullis.mesh.compiled;

import io.portcullis.mesh.Versioned;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import java.util.List;


/**
 * The compiled policy of one endpoint, published by compiler-service for its node; key
 * {@code node/namespace/name}. Carries what the node enforces: the policy map, and per direction the
 * L4 filters with their L7 rules for the proxies.
 *
 * @param revision   the policy revision this map reflects (every policy change up to it)
 * @param identity   the endpoint's identity when compiled
 * @param auditPolicies the policies this map derives from that are in audit mode (annotation
 *                   {@code portcullis.io/audit: "true"}): what only they would deny is allowed and recorded as
 *                   an {@code AUDIT} flow. Null when none.
 */
public record EndpointPolicyRecord(
        int schemaVersion,
        String node,
        String endpoint,
        long identity,
        long revision,
        List<Entry> entries,
        Direction ingress,
        Direction egress,
        List<String> auditPolicies) implements Versioned {

    /** 2: {@code entries} as a table on the topic ({@link EndpointPolicyJson}); readers still take 1. */
    public static final int SCHEMA_VERSION = 2;

    /** A map with no policy in audit mode. */
    public EndpointPolicyRecord(int schemaVersion, String node, String endpoint, long identity, long revision,
                                List<Entry> entries, Direction ingress, Direction egress) {
        this(schemaVersion, node, endpoint, identity, revision, entries, ingress, egress, null);
    }

    public List<String> auditPoliciesOrEmpty() {
        return auditPolicies == null ? List.of() : auditPolicies;
    }

    /** The same map with these audit-mode policies (null or empty: none). */
    public EndpointPolicyRecord withAuditPolicies(List<String> audit) {
        return new EndpointPolicyRecord(schemaVersion, node, endpoint, identity, revision, entries, ingress, egress,
                audit == null || audit.isEmpty() ? null : List.copyOf(audit));
    }

    /** One policy map entry. */
    public record Entry(long identity, String direction, String protocol, int port, int prefixLen, boolean deny,
                        String proxy, List<String> derivedFrom) {}

    public record Direction(boolean enforced, boolean defaultDeny, List<String> defaultDenyPolicies, String error,
                            List<Filter> filters) {}

    public record Filter(String protocol, int port, int endPort, List<SelectorPolicy> rules) {}

    public record SelectorPolicy(List<Requirement> selector, boolean deny, String parser, List<PortRuleHTTP> http,
                                 List<PortRuleKafka> kafka, List<FQDNSelector> dns, List<String> derivedFrom) {}

    public record Requirement(String source, String key, String operator, List<String> values) {}

}
