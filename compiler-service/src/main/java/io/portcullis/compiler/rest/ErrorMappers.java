package io.portcullis.compiler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every refused request leaves as an {@link ApiError} that says why: unreadable JSON (naming the field),
 * the framework's own 404/405/415, and a body over {@code portcullis.max-body-size} (refused from its
 * Content-Length before it is read; the HTTP layer's limit is set higher so clients see this answer).
 */
public class ErrorMappers {

    private final long limit;

    public ErrorMappers(@ConfigProperty(name = "portcullis.max-body-size", defaultValue = "1M") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    Response checkLength(ContainerRequestContext request) {
        // The HTTP layer has already refused a malformed Content-Length, so this is a number.
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && Long.parseLong(length.trim()) > limit) {
            return ApiError.response(413, "the request body is larger than the limit of " + limit + " bytes");
        }
        return null;
    }

    @ServerExceptionMapper
    Response json(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String where = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            return ApiError.response(400, "invalid value at " + where + ": " + e.getOriginalMessage());
        }
        return ApiError.response(400, "malformed JSON: " + e.getOriginalMessage());
    }

    /** Quarkus's own mapper for this type answers without a message: ours wins for the exact type. */
    @ServerExceptionMapper
    Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    Response violations(ResteasyReactiveViolationException e) {
        if (e.getConstraintViolations().isEmpty()) {
            return ApiError.response(400, "invalid request: " + e.getMessage());
        }
        String message = e.getConstraintViolations().stream()
                .map(v -> fieldOf(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return ApiError.response(400, "invalid request: " + message);
    }

    /** {@code explain.request.port} → {@code port}; the method and parameter name say nothing to a caller. */
    private static String fieldOf(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : "body";
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        // RESTEasy wraps an unreadable body in a 400 whose cause is Jackson's: say what Jackson said
        if (e.getCause() instanceof JsonProcessingException j) {
            return json(j);
        }
        return ApiError.response(e.getResponse().getStatus(), e.getMessage());
    }
}
