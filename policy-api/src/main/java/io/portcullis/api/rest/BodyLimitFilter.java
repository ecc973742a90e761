package io.portcullis.api.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body announced larger than the limit before it is read. The HTTP layer's own limit
 * ({@code quarkus.http.limits.max-body-size}) is set higher, so this answer (a Status) is the one
 * clients see; a chunked body beyond the HTTP layer's limit is cut off there with a bare 413.
 */
public class BodyLimitFilter {

    private final RequestBodies bodies;

    public BodyLimitFilter(RequestBodies bodies) {
        this.bodies = bodies;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION + 100)
    void checkLength(ContainerRequestContext request) {
        // The HTTP layer has already refused a malformed Content-Length, so this is a number.
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length.trim()) > bodies.limit()) {
            throw ApiException.tooLarge(bodies.limit());
        }
    }
}
