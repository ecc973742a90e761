package io.portcullis.agent.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as an {@link ApiError}, the framework's own 404/405/415 included. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    Response api(ApiException e) {
        return respond(new ApiError(e.status(), e.getMessage(), e.causes()));
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        return respond(new ApiError(e.getResponse().getStatus(), e.getMessage(), null));
    }

    @ServerExceptionMapper
    Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return respond(new ApiError(500, "internal error: " + e.getClass().getSimpleName(), null));
    }

    private static Response respond(ApiError error) {
        return Response.status(error.code()).type(MediaType.APPLICATION_JSON).entity(error).build();
    }
}
