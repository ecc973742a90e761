package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.LabelSelectorRequirement;
import io.portcullis.policy.labels.LabelValidation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Label selectors: Cilium selectors ({@code endpointSelector}, {@code fromEndpoints}, …) whose keys may
 * carry a source ({@code k8s:app}), and plain Kubernetes selectors ({@code cidrGroupSelector},
 * {@code k8sServiceSelector.selector}) whose keys may not. A missing key or operator and an unknown
 * operator are structural ({@link StructuralConstraints}); label values are checked here with
 * {@link LabelValidation}, the one implementation of Kubernetes label syntax.
 */
final class SelectorValidator {

    private final FieldErrors errors;

    SelectorValidator(FieldErrors errors) {
        this.errors = errors;
    }

    void cilium(EndpointSelector selector, FieldPath path) {
        validate(selector, path, LabelValidation::ciliumLabelKeyErrors);
    }

    void kubernetes(EndpointSelector selector, FieldPath path) {
        validate(selector, path, LabelValidation::qualifiedNameErrors);
    }

    void ciliumAll(List<EndpointSelector> selectors, FieldPath path) {
        if (selectors != null) {
            for (int i = 0; i < selectors.size(); i++) {
                cilium(selectors.get(i), path.index(i));
            }
        }
    }

    private void validate(EndpointSelector selector, FieldPath path, Function<String, List<String>> keyCheck) {
        if (selector == null) {
            return;
        }
        Map<String, String> labels = selector.matchLabels();
        if (labels != null) {
            labels.forEach((key, value) -> {
                FieldPath at = path.child("matchLabels").key(key);
                keyCheck.apply(key).forEach(m -> errors.invalid(at, "invalid label key \"" + key + "\": " + m));
                if (value != null) {
                    LabelValidation.labelValueErrors(value)
                            .forEach(m -> errors.invalid(at, "invalid label value \"" + value + "\": " + m));
                }
            });
        }
        List<LabelSelectorRequirement> expressions = selector.matchExpressions();
        if (expressions != null) {
            for (int i = 0; i < expressions.size(); i++) {
                requirement(expressions.get(i), path.child("matchExpressions").index(i), keyCheck);
            }
        }
    }

    private void requirement(LabelSelectorRequirement r, FieldPath path, Function<String, List<String>> keyCheck) {
        if (r.key() != null && !r.key().isEmpty()) {
            keyCheck.apply(r.key()).forEach(m -> errors.invalid(path.child("key"),
                    "invalid label key \"" + r.key() + "\": " + m));
        }
        List<String> values = r.values() == null ? List.of() : r.values();
        String op = r.operator() == null ? "" : r.operator();
        if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
            errors.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
        } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && !values.isEmpty()) {
            errors.forbidden(path.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            FieldPath at = path.child("values").index(i);
            LabelValidation.labelValueErrors(v == null ? "" : v)
                    .forEach(m -> errors.invalid(at, "invalid label value \"" + v + "\": " + m));
        }
    }
}
