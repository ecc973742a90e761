package io.portcullis.compiler.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The error body of this API. */
public record ApiError(int status, String message) {

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, message)).build();
    }
}
