package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Collects every {@link FieldError} of one pass, in the order found. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public void add(FieldPath path, String reason, String message) {
        errors.add(new FieldError(path.value(), reason, message));
    }

    public void invalid(FieldPath path, String message) {
        add(path, FieldError.INVALID, message);
    }

    public void required(FieldPath path, String message) {
        add(path, FieldError.REQUIRED, message);
    }

    public void forbidden(FieldPath path, String message) {
        add(path, FieldError.FORBIDDEN, message);
    }

    public void notSupported(FieldPath path, String message) {
        add(path, FieldError.NOT_SUPPORTED, message);
    }

    public void tooLong(FieldPath path, int max) {
        add(path, FieldError.TOO_LONG, "must be no more than " + max + " characters");
    }

    public void tooMany(FieldPath path, String message) {
        add(path, FieldError.TOO_MANY, message);
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }
}
