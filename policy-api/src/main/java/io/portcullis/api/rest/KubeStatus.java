package io.portcullis.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.policy.api.FieldError;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A Kubernetes {@code Status} (kind Status, apiVersion v1): every error answer of this API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Status", description = "A Kubernetes Status; `details.causes` lists every problem with its field path.")
public record KubeStatus(
        @Schema(enumeration = "Status") String kind,
        @Schema(enumeration = "v1") String apiVersion,
        Map<String, String> metadata,
        @Schema(enumeration = "Failure") String status,
        String message,
        @Schema(examples = {"Invalid", "BadRequest", "Conflict", "NotFound"}) String reason,
        Details details,
        int code) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Details(String name, String kind, List<Cause> causes) {}

    /** One problem; {@code field} is its path in the request ({@code spec.ingress[0].toPorts}), "" for the whole body. */
    public record Cause(
            @Schema(examples = "FieldValueInvalid") String reason,
            String message,
            @Schema(required = true) String field) {

        static Cause of(FieldError e) {
            return new Cause(e.reason(), e.message(), e.field());
        }
    }

    public static KubeStatus failure(int code, String reason, String message, Details details) {
        return new KubeStatus("Status", "v1", Map.of(), "Failure", message, reason, details, code);
    }
}
