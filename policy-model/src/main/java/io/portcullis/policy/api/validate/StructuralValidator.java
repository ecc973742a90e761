package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.constraints.CodePointLength;
import org.hibernate.validator.constraints.Range;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Runs {@link StructuralConstraints} with Hibernate Validator and turns each violation into a
 * {@link FieldError} with our path format ({@code spec.ingress[0].toPorts[0].ports},
 * {@code specs[1].log.value}, {@code ...serverNames[2]}) and a Kubernetes reason.
 */
final class StructuralValidator {

    /**
     * Built once: the factory and its validators are immutable and thread-safe, and building them (reading
     * the mapping, resolving the constraint validators) is the expensive part. No Expression Language is on
     * the classpath, so messages go through {@link ParameterMessageInterpolator} ({@code {max}},
     * {@code {regexp}} …) plus our {@code {validatedValue}}; no XML configuration is read.
     */
    private static final ValidatorFactory FACTORY = factory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    private StructuralValidator() {}

    private static ValidatorFactory factory() {
        HibernateValidatorConfiguration config = Validation.byProvider(HibernateValidator.class).configure()
                .ignoreXmlConfiguration()
                .messageInterpolator(new ValueInterpolator(new ParameterMessageInterpolator()));
        config.addMapping(StructuralConstraints.define(config.createConstraintMapping()));
        return config.buildValidatorFactory();
    }

    /** For tests: the validator, to read the mapping back through HV's metadata API. */
    static Validator validator() {
        return VALIDATOR;
    }

    /**
     * Every structural problem of {@code policy}. HV returns a set; sorting by field, reason and message
     * makes the order deterministic before {@link DocumentOrder} puts it in document order.
     */
    static List<FieldError> validate(CiliumPolicy policy) {
        return VALIDATOR.validate(policy).stream()
                .map(StructuralValidator::toFieldError)
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::reason)
                        .thenComparing(FieldError::message))
                .toList();
    }

    static FieldError toFieldError(ConstraintViolation<?> v) {
        return new FieldError(path(v.getPropertyPath()).value(), reason(v), v.getMessage());
    }

    /**
     * HV's path is a list of nodes; a node reached through a list element carries that element's index
     * (a map entry's key), and a constraint on the elements themselves ends in a container-element node
     * with no name of ours: {@code serverNames}, {@code <list element>}[2] → {@code serverNames[2]}.
     */
    static FieldPath path(Path hvPath) {
        FieldPath p = FieldPath.ROOT;
        for (Path.Node node : hvPath) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    p = p.index(node.getIndex());
                } else if (node.getKey() != null) {
                    p = p.key(String.valueOf(node.getKey()));
                }
            }
            if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                p = p.child(node.getName());
            }
        }
        return p;
    }

    /** The Kubernetes {@code StatusCause} reason the API server gives for the same schema violation. */
    static String reason(ConstraintViolation<?> v) {
        Class<? extends Annotation> type = v.getConstraintDescriptor().getAnnotation().annotationType();
        if (type == NotNull.class || type == NotEmpty.class) {
            return FieldError.REQUIRED;
        }
        if (type == Size.class) {
            int min = (Integer) v.getConstraintDescriptor().getAttributes().get("min");
            if (size(v.getInvalidValue()) < min) {
                return FieldError.REQUIRED; // minItems 1: a present but empty list says nothing
            }
            return v.getInvalidValue() instanceof CharSequence ? FieldError.TOO_LONG : FieldError.TOO_MANY;
        }
        if (type == CodePointLength.class) {
            return FieldError.TOO_LONG;
        }
        if (type == OneOf.class) {
            return FieldError.NOT_SUPPORTED;
        }
        if (type == Re2Pattern.class || type == Range.class) {
            return FieldError.INVALID;
        }
        throw new IllegalStateException("no Kubernetes reason for constraint @" + type.getSimpleName());
    }

    private static int size(Object value) {
        return switch (value) {
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            case CharSequence s -> s.length();
            case null -> 0;
            default -> value.getClass().isArray() ? Array.getLength(value) : 0;
        };
    }

    /**
     * {@link ParameterMessageInterpolator}, then {@code {validatedValue}} replaced by the rejected value.
     * The value goes in last, so text in it is never interpolated itself.
     */
    private record ValueInterpolator(MessageInterpolator delegate) implements MessageInterpolator {

        private static final String VALUE = "{validatedValue}";

        @Override
        public String interpolate(String template, Context context) {
            return withValue(delegate.interpolate(template, context), context);
        }

        @Override
        public String interpolate(String template, Context context, Locale locale) {
            return withValue(delegate.interpolate(template, context, locale), context);
        }

        private static String withValue(String message, Context context) {
            return message.replace(VALUE, String.valueOf(context.getValidatedValue()));
        }
    }
}
