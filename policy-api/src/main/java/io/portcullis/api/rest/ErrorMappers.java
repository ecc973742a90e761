package io.portcullis.api.rest;

import io.portcullis.api.store.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as a Kubernetes Status, including the framework's own 404/405/406/415. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final Map<Integer, String> REASONS = Map.of(
            400, "BadRequest", 401, "Unauthorized", 403, "Forbidden", 404, "NotFound", 405, "MethodNotAllowed",
            406, "NotAcceptable", 409, "Conflict", 413, "RequestEntityTooLarge", 415, "UnsupportedMediaType",
            503, "ServiceUnavailable");

    private final PolicyMetrics metrics;

    public ErrorMappers(PolicyMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    Response api(ApiException e) {
        return respond(e.status());
    }

    @ServerExceptionMapper
    Response store(StoreException e) {
        int code = switch (e) {
            case StoreException.NotFound n -> 404;
            case StoreException.Conflict c -> 409;
            case StoreException.Unavailable u -> 503;
            default -> 500;
        };
        if (code == 503) {
            LOG.warn(e.getMessage(), e.getCause());
        }
        return respond(KubeStatus.failure(code, REASONS.get(code), e.getMessage(), null));
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        int code = e.getResponse().getStatus();
        String reason = REASONS.getOrDefault(code, code >= 500 ? "InternalError" : "BadRequest");
        return respond(KubeStatus.failure(code, reason, e.getMessage(), null));
    }

    @ServerExceptionMapper
    Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return respond(KubeStatus.failure(500, "InternalError", "internal error: " + e.getClass().getSimpleName(), null));
    }

    private Response respond(KubeStatus status) {
        if (status.code() < 500 || status.code() == 503) {
            metrics.rejected(status.code());
        }
        Response.ResponseBuilder r = Response.status(status.code()).type(MediaType.APPLICATION_JSON).entity(status);
        if (status.code() == 401) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return r.build();
    }
}
