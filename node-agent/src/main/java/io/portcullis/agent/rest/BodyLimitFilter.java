package io.portcullis.agent.rest;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body announced larger than {@code portcullis.max-body-size} before it is read, with an
 * {@link ApiError} that says the limit. The HTTP layer's own limit ({@code quarkus.http.limits.max-body-size})
 * is set higher so this answer is the one clients see; only a chunked body beyond that one is cut off
 * there with a bare 413.
 */
public class BodyLimitFilter {

    private final long limit;

    public BodyLimitFilter(@ConfigProperty(name = "portcullis.max-body-size", defaultValue = "1M") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    void checkLength(jakarta.ws.rs.container.ContainerRequestContext request) {
        // The HTTP layer has already refused a malformed Content-Length, so this is a number.
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length.trim()) > limit) {
            throw new ApiException(413, "the request body is larger than the limit of " + limit + " bytes");
        }
    }
}
