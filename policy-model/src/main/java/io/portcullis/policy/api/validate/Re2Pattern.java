package io.portcullis.policy.api.validate;

import com.google.re2j.Pattern;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * A string matches a CRD {@code pattern}, evaluated like the API server does: Go regexp (RE2) semantics,
 * linear time. The CRD patterns nest quantifiers ({@code ^([-a-zA-Z0-9_]+[.]?)+$}), which
 * {@code java.util.regex} (and so {@code @Pattern}) would backtrack on exponentially.
 *
 * <p>{@code null} and the empty string are valid: Cilium's Go structs cannot tell an empty string from
 * an absent one, and where emptiness matters a {@code @NotEmpty} (or a semantic check) says so.
 *
 * <p>Used only through {@link StructuralConstraints}' programmatic mapping, never on the records.
 */
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Re2Pattern.Check.class)
public @interface Re2Pattern {

    String regexp();

    String message() default "must match {regexp}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Compiles the pattern once per constraint; RE2J patterns are immutable and thread-safe. */
    final class Check implements ConstraintValidator<Re2Pattern, CharSequence> {

        private Pattern pattern;

        @Override
        public void initialize(Re2Pattern constraint) {
            pattern = Pattern.compile(constraint.regexp());
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return value == null || value.isEmpty() || pattern.matcher(value).matches();
        }
    }
}
