package io.portcullis.policy.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy object. {@code status} is Cilium's to
 * write; it is accepted on input and otherwise ignored.
 */
public record CiliumPolicy(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Rule spec,
        List<Rule> specs,
        Object status) {

    /** {@code spec} followed by every element of {@code specs}, as Cilium's {@code Parse} orders them. */
    @JsonIgnore
    public List<Rule> rules() {
        List<Rule> all = new ArrayList<>();
        if (spec != null) {
            all.add(spec);
        }
        if (specs != null) {
            all.addAll(specs);
        }
        return List.copyOf(all);
    }

    @JsonIgnore
    public PolicyKind policyKind() {
        return PolicyKind.fromKindName(kind);
    }

    /** {@code ns/name} for a CNP, {@code name} for a CCNP: the key the policy is stored under. */
    @JsonIgnore
    public String key() {
        PolicyKind k = policyKind();
        String name = metadata == null ? null : metadata.name();
        return k == PolicyKind.CNP ? metadata.namespace() + "/" + name : name;
    }

    public CiliumPolicy withMetadata(ObjectMeta meta) {
        return new CiliumPolicy(apiVersion, kind, meta, spec, specs, status);
    }
}
