package io.portcullis.policy.api.validate;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A string is one of a CRD {@code enum}'s values (Kubernetes reason {@code FieldValueNotSupported}).
 * {@code null} and the empty string are valid, as Go's zero value means "not set"; a required field also
 * gets a {@code @NotEmpty}. {@code ignoreCase} is for fields Cilium folds before comparing (Kafka's role).
 *
 * <p>Used only through {@link StructuralConstraints}' programmatic mapping, never on the records.
 */
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = OneOf.Check.class)
public @interface OneOf {

    String[] value();

    boolean ignoreCase() default false;

    String message() default "unsupported value \"{validatedValue}\": supported values: {value}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<OneOf, CharSequence> {

        private Set<String> allowed;
        private boolean ignoreCase;

        @Override
        public void initialize(OneOf constraint) {
            ignoreCase = constraint.ignoreCase();
            allowed = Arrays.stream(constraint.value()).map(this::fold).collect(Collectors.toUnmodifiableSet());
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return value == null || value.isEmpty() || allowed.contains(fold(value.toString()));
        }

        private String fold(String s) {
            return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
        }
    }
}
