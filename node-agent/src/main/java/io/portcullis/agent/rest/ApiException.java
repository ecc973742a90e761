package io.portcullis.agent.rest;

import java.util.List;

/** A request the agent refuses, with the HTTP status and what to tell the caller. */
public final class ApiException extends RuntimeException {

    /** One problem with one field of the request body. */
    public record Cause(String field, String message) {}

    private final int status;
    private final List<Cause> causes;

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public ApiException(int status, String message, List<Cause> causes) {
        super(message);
        this.status = status;
        this.causes = List.copyOf(causes);
    }

    public int status() {
        return status;
    }

    public List<Cause> causes() {
        return causes;
    }
}
