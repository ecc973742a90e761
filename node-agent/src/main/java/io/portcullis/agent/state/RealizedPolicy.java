package io.portcullis.agent.state;

import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.engine.EndpointPolicy;

/**
 * A compiled map as received ({@code record}, served by {@code GET /v1/endpoints/{id}/policy}) and decoded
 * for {@link io.portcullis.policy.verdict.Decider}. Immutable: realizing a new map swaps the whole object.
 */
public record RealizedPolicy(EndpointPolicyRecord record, EndpointPolicy policy) {

    public long revision() {
        return record.revision();
    }

    /** The endpoint identity the compiler compiled for; the map applies only while the endpoint has it. */
    public long identity() {
        return record.identity();
    }
}
