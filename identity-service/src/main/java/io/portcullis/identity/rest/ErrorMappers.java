package io.portcullis.identity.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refused request, the framework's own 404/405/415 included, leaves as JSON that says why. */
public class ErrorMappers {

    /** The error body: {@code {"status": 400, "message": "..."}}. */
    public record ApiError(int status, String message) {}

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, e.getMessage()))
                .build();
    }
}
