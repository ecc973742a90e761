package io.portcullis.api.rest;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The success bodies besides a single policy. */
final class Responses {

    private Responses() {}

    @Schema(name = "ApplyResult", description = "The revision at which the request's content is stored (unchanged "
            + "content keeps its earlier revision), and the stored objects in request order.")
    record Applied(long revision, List<PolicyObject> items) {}

    @Schema(name = "DeleteResult", description = "The revision of the deletion; wait for nodes to realize it.")
    record Deleted(long revision) {}

    @Schema(name = "PolicyList", description = "A Kubernetes-style List; metadata.resourceVersion is the highest revision stored.")
    record PolicyList(
            @Schema(enumeration = "v1") String apiVersion,
            @Schema(enumeration = "List") String kind,
            Map<String, String> metadata,
            List<PolicyObject> items) {

        static PolicyList of(long revision, List<PolicyObject> items) {
            return new PolicyList("v1", "List", Map.of("resourceVersion", Long.toString(revision)), items);
        }
    }
}
