package io.portcullis.policy.api;

/**
 * One problem with a policy, located by its field path ({@code spec.ingress[0].toPorts[0].ports[1].port}).
 * {@code reason} follows Kubernetes {@code StatusCause} reasons ({@code FieldValueInvalid},
 * {@code FieldValueRequired}, {@code FieldValueNotSupported}, {@code FieldValueForbidden},
 * {@code FieldValueTooLong}, {@code FieldValueTooMany}, {@code FieldValueDuplicate}, and
 * {@code FieldValueUnknown} for a field that does not exist).
 */
public record FieldError(String field, String reason, String message) {

    public static final String INVALID = "FieldValueInvalid";
    public static final String REQUIRED = "FieldValueRequired";
    public static final String NOT_SUPPORTED = "FieldValueNotSupported";
    public static final String FORBIDDEN = "FieldValueForbidden";
    public static final String TOO_LONG = "FieldValueTooLong";
    public static final String TOO_MANY = "FieldValueTooMany";
    public static final String DUPLICATE = "FieldValueDuplicate";
    public static final String UNKNOWN = "FieldValueUnknown";

    public static FieldError invalid(String field, String message) {
        return new FieldError(field, INVALID, message);
    }

    public static FieldError required(String field, String message) {
        return new FieldError(field, REQUIRED, message);
    }

    public static FieldError forbidden(String field, String message) {
        return new FieldError(field, FORBIDDEN, message);
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
