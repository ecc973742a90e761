package io.portcullis.fqdn.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** A refused request: the status and a message that says what is wrong. */
public final class ApiError extends WebApplicationException {

    public ApiError(int status, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", status, "message", message)).build());
    }
}
