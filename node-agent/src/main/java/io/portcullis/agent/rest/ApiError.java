package io.portcullis.agent.rest;

import java.util.List;

/** Every error body: {@code {"code": 422, "error": "...", "causes": [{"field", "message"}]}}. */
public record ApiError(int code, String error, List<ApiException.Cause> causes) {

    public ApiError {
        causes = causes == null || causes.isEmpty() ? null : List.copyOf(causes);
    }
}
