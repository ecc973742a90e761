package io.portcullis.api.rest;

import io.portcullis.policy.api.FieldError;
import java.util.List;

/** An error answer decided by the REST layer itself; {@link ErrorMappers} renders it as a Status. */
public final class ApiException extends RuntimeException {

    private final transient KubeStatus status;

    public ApiException(KubeStatus status) {
        super(status.message());
        this.status = status;
    }

    KubeStatus status() {
        return status;
    }

    static ApiException badRequest(String message, List<KubeStatus.Cause> causes) {
        return new ApiException(KubeStatus.failure(400, "BadRequest", message,
                causes.isEmpty() ? null : new KubeStatus.Details(null, null, causes)));
    }

    static ApiException invalid(String kind, String name, List<FieldError> errors) {
        String what = name == null ? "the request" : kind + " \"" + name + "\"";
        String message = what + " is invalid: " + String.join("; ", errors.stream().map(FieldError::toString).toList());
        return new ApiException(KubeStatus.failure(422, "Invalid", message,
                new KubeStatus.Details(name, kind, errors.stream().map(KubeStatus.Cause::of).toList())));
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(KubeStatus.failure(413, "RequestEntityTooLarge",
                "the request body is larger than the limit of " + limit + " bytes", null));
    }
}
