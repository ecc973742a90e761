package io.portcullis.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.api.status.PolicyStatus;
import io.portcullis.api.status.RealizedState;
import io.portcullis.api.store.PolicyState.Stored;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.Rule;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored CNP/CCNP as the API shows it: the object as applied, server metadata, and its status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "CiliumPolicy", description = "A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy as stored. "
        + "metadata.resourceVersion is the revision it was last stored at; metadata.generation counts spec changes.")
public record PolicyObject(
        @Schema(enumeration = "cilium.io/v2") String apiVersion,
        @Schema(enumeration = {"CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy"}) String kind,
        ObjectMeta metadata,
        Rule spec,
        List<Rule> specs,
        PolicyStatus status) {

    static PolicyObject of(Stored stored, RealizedState realized) {
        var p = stored.policy();
        return new PolicyObject(p.apiVersion(), p.kind(), p.metadata(), p.spec(), p.specs(),
                PolicyStatus.of(stored.revision(), realized));
    }
}
