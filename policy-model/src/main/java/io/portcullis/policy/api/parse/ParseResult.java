package io.portcullis.policy.api.parse;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import java.util.List;

/**
 * The policies found in a request and every problem with them. A request is all-or-nothing: when
 * {@code errors} is not empty, {@code policies} is only a best-effort reading and must not be applied.
 */
public record ParseResult(List<CiliumPolicy> policies, List<FieldError> errors) {

    public ParseResult {
        policies = List.copyOf(policies);
        errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
