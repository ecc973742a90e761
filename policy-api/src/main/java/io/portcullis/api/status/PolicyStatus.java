package io.portcullis.api.status;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The server's view of a stored policy, computed on every read. */
@Schema(description = "Whether the policy is valid, and how far each node has realized the policy revisions.")
public record PolicyStatus(
        @Schema(description = "Always a `Valid` condition with status \"True\": only valid policies are stored.")
        List<Condition> conditions,
        @Schema(description = "Per node name. Nodes report per endpoint; a node counts as far as its least advanced "
                + "endpoint. Every node with endpoints is listed, whether or not the policy selects them.")
        Map<String, NodeRealized> realized) {

    public static PolicyStatus of(long policyRevision, RealizedState realized) {
        return new PolicyStatus(List.of(Condition.VALID), realized.view(policyRevision));
    }

    @Schema(description = "A Kubernetes-style condition.")
    public record Condition(
            @Schema(examples = "Valid") String type,
            @Schema(enumeration = {"True", "False", "Unknown"}) String status) {

        static final Condition VALID = new Condition("Valid", "True");
    }

    @Schema(description = "Realization on one node.")
    public record NodeRealized(
            @Schema(description = "The lowest policy revision realized among the node's endpoints.") long revision,
            @Schema(description = "How many endpoints of the node report a realized revision.") int endpoints,
            @Schema(description = "revision >= the policy's own revision (its metadata.resourceVersion).") boolean ready) {}
}
