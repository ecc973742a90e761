package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.FQDNSelector;

/**
 * {@code toFQDNs[]} and {@code rules.dns[]} items: the CRD's {@code oneOf} of {@code matchName} and
 * {@code matchPattern} ({@code api/fqdn.go}). Their length, characters and label structure are
 * structural ({@link StructuralConstraints}).
 */
final class FqdnValidator {

    private final FieldErrors errors;

    FqdnValidator(FieldErrors errors) {
        this.errors = errors;
    }

    void validate(FQDNSelector s, FieldPath path) {
        boolean hasName = s.matchName() != null && !s.matchName().isEmpty();
        boolean hasPattern = s.matchPattern() != null && !s.matchPattern().isEmpty();
        if (hasName && hasPattern) {
            errors.invalid(path, "only one of MatchName or MatchPattern is allowed in an FQDNSelector");
        } else if (!hasName && !hasPattern) {
            errors.required(path, "one of matchName or matchPattern is required");
        }
    }
}
