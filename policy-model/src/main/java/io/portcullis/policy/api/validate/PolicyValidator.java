package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.labels.LabelValidation;
import java.util.List;

/**
 * Validates a parsed CNP/CCNP as Cilium's {@code Parse} + {@code Rule.Validate} would, plus the CRD
 * schema constraints the API server enforces before Cilium sees the object. Unlike Cilium it does not
 * stop at the first problem: every error is reported with its field path.
 *
 * <p>The structural constraints (enums, lengths, required fields) are checked in plain Java next to the
 * semantic ones rather than with Bean Validation annotations: annotations on record components are
 * propagated to both field and accessor (so each violation comes twice), the same record type carries
 * different constraints depending on where it sits (a Cilium selector vs a plain Kubernetes selector),
 * and most checks depend on sibling fields anyway. One pass in Sanitize order keeps paths and messages
 * under our control.
 */
public final class PolicyValidator {

    /** Every problem with {@code policy}; empty when it is valid. Paths are relative to the object. */
    public List<FieldError> validate(CiliumPolicy policy) {
        FieldErrors errors = new FieldErrors();
        if (!PolicyKind.API_VERSION.equals(policy.apiVersion())) {
            errors.notSupported(FieldPath.of("apiVersion"),
                    "unsupported apiVersion \"" + policy.apiVersion() + "\": must be " + PolicyKind.API_VERSION);
        }
        if (policy.policyKind() == null) {
            errors.notSupported(FieldPath.of("kind"), "unsupported kind \"" + policy.kind()
                    + "\": must be CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy");
        }
        PolicyKind kind = policy.policyKind() == null ? PolicyKind.CNP : policy.policyKind();
        metadata(policy.metadata(), kind, errors);
        if (policy.spec() == null && policy.specs() == null) {
            errors.required(FieldPath.of("spec"), "spec or specs must be provided");
        }
        RuleValidator rules = new RuleValidator(errors);
        if (policy.spec() != null) {
            rules.validate(policy.spec(), FieldPath.of("spec"), kind);
        }
        Each.item(policy.specs(), FieldPath.of("specs"), (rule, path) -> rules.validate(rule, path, kind));
        return errors.list();
    }

    private static void metadata(ObjectMeta meta, PolicyKind kind, FieldErrors errors) {
        FieldPath name = FieldPath.of("metadata.name");
        if (meta == null || meta.name() == null || meta.name().isEmpty()) {
            errors.required(name, kind.kindName() + " must have name");
        } else {
            LabelValidation.dns1123SubdomainErrors(meta.name()).forEach(m -> errors.invalid(name, m));
        }
        if (kind == PolicyKind.CNP && meta != null && meta.namespace() != null && !meta.namespace().isEmpty()) {
            LabelValidation.dns1123LabelErrors(meta.namespace())
                    .forEach(m -> errors.invalid(FieldPath.of("metadata.namespace"), m));
        }
    }
}
