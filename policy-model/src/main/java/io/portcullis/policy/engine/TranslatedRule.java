package io.portcullis.policy.engine;

import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.selector.Selector;
import java.util.List;

/**
 * One rule of one policy after parse-time rewriting (§1.6): compiled subject and peer selectors
 * with namespaces injected, protocols expanded, L7 rules attached to ports.
 *
 * @param policy    the policy's key ({@code ns/name} for a CNP, {@code name} for a CCNP)
 * @param namespace the CNP's namespace, or null for a CCNP (evaluated for every namespace)
 */
public record TranslatedRule(
        String policy,
        String namespace,
        Selector subject,
        List<PeerRule> ingress,
        List<PeerRule> egress,
        boolean hasIngress,
        boolean hasEgress,
        boolean defaultDenyIngress,
        boolean defaultDenyEgress) {

    public List<PeerRule> rules(Direction d) {
        return d == Direction.INGRESS ? ingress : egress;
    }

    /** The rule has entries in that direction (even {@code [{}]}), so it enforces it (§3.8). */
    public boolean has(Direction d) {
        return d == Direction.INGRESS ? hasIngress : hasEgress;
    }

    public boolean defaultDeny(Direction d) {
        return d == Direction.INGRESS ? defaultDenyIngress : defaultDenyEgress;
    }

    /**
     * One allow or deny entry: its peers (the wildcard selector for "every peer") and its ports.
     * Entries that select nothing ({@code fromEndpoints: []}, or an empty {@code ports} list) are
     * dropped at translation, so every PeerRule here contributes.
     */
    public record PeerRule(boolean deny, List<Selector> peers, List<PortSelection> ports) {}

    /**
     * A protocol and port as written ({@link io.portcullis.policy.api.PortSpec}: a number or a name
     * resolved per subject), with the L7 rules for it. {@code ANY} with port 0 is an L3-only entry.
     */
    public record PortSelection(io.portcullis.policy.mapstate.Protocol protocol,
                                io.portcullis.policy.api.PortSpec port,
                                int endPort,
                                L7RuleSet l7) {}
}
