package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.labels.LabelValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a parsed CNP/CCNP as the API server's CRD schema and Cilium's {@code Parse} +
 * {@code Rule.Sanitize} would. Unlike Cilium it does not stop at the first problem: every error is
 * reported once, with its field path.
 *
 * <p>Two passes, one result:
 * <ul>
 *   <li><b>Structural</b> ({@link StructuralConstraints}, run by Hibernate Validator): single-field
 *       constraints that hold wherever the type appears — {@code maxItems}, {@code maxLength},
 *       {@code pattern}, {@code enum}, ranges, required fields. They are declared with HV's programmatic
 *       mapping on record <em>fields</em>, not as annotations on record components: an annotation there
 *       propagates to both the field and the accessor, so every violation would come twice. And since the
 *       same record type sits in places with different rules, the mapping holds only the constraints that
 *       are true in every place.</li>
 *   <li><b>Semantic</b> ({@link RuleValidator} and friends, plain Java, in Sanitize order): whatever needs
 *       siblings or context (exactly one of, peer kinds not combined, L7 only on TCP, DNS not on ingress,
 *       CNP vs CCNP, host rules), Cilium's own parsing (ports as Go base-0 literals, CIDRs and excepts,
 *       ICMP type names, RE2 regexes, Kafka API keys and versions) and syntax that depends on where it
 *       sits (label keys of Cilium vs Kubernetes selectors). A semantic check never repeats a structural
 *       one; where it needs a structurally valid input (an ICMP type is looked up only in a known family)
 *       it skips silently.</li>
 * </ul>
 * A few structural checks stay in Java on purpose: label values and object names (Kubernetes syntax,
 * implemented once in {@code LabelValidation} for every user of labels), {@code protocol} (Cilium folds
 * case and names the flag the extended protocols need), duplicate {@code serverNames} (reported at the
 * repeated item, which HV's {@code @UniqueElements} cannot do) and {@code fromRequires}/{@code toRequires}
 * (forbidden with an explanation rather than "max 0 items").
 *
 * The two lists are merged in document order ({@link DocumentOrder}): by field, as the fields appear in
 * the object, and for one field structural errors before semantic ones.
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
        List<FieldError> all = new ArrayList<>(StructuralValidator.validate(policy));
        all.addAll(errors.list());
        return DocumentOrder.sort(all);
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
