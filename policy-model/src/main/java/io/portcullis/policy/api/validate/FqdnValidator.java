package io.portcullis.policy.api.validate;

import com.google.re2j.Pattern;
import io.portcullis.policy.api.FQDNSelector;

/**
 * {@code toFQDNs[]} and {@code rules.dns[]} items ({@code api/fqdn.go}, {@code matchpattern.Validate}
 * and the CRD's {@code oneOf}, {@code maxLength} and {@code pattern}). The CRD patterns nest
 * quantifiers, so they run on RE2 to stay linear.
 */
final class FqdnValidator {

    static final int MAX_LENGTH = 255;
    private static final Pattern NAME_CHARS = Pattern.compile("^[-a-zA-Z0-9_.]+$");
    private static final Pattern PATTERN_CHARS = Pattern.compile("^[-a-zA-Z0-9_.*]+$");
    private static final Pattern CRD_NAME = Pattern.compile("^([-a-zA-Z0-9_]+[.]?)+$");
    private static final Pattern CRD_PATTERN = Pattern.compile("^([-a-zA-Z0-9_*]+[.]?)+$");

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
        if (hasName) {
            check(s.matchName(), path.child("matchName"), NAME_CHARS, CRD_NAME,
                    "Invalid characters in MatchName: \"%s\". Only 0-9, a-z, A-Z and . and - characters are allowed");
        }
        if (hasPattern) {
            check(s.matchPattern(), path.child("matchPattern"), PATTERN_CHARS, CRD_PATTERN,
                    "Invalid characters in MatchPattern: \"%s\". Only 0-9, a-z, A-Z and ., - and * characters are allowed");
        }
    }

    private void check(String value, FieldPath path, Pattern chars, Pattern shape, String charsMessage) {
        if (value.length() > MAX_LENGTH) {
            errors.tooLong(path, MAX_LENGTH);
        } else if (!chars.matcher(value).matches()) {
            errors.invalid(path, String.format(charsMessage, value));
        } else if (!shape.matcher(value).matches()) {
            errors.invalid(path, "\"" + value + "\" must be dot-separated labels without empty labels (pattern "
                    + shape.pattern() + ")");
        }
    }
}
