package io.portcullis.agent.state;

import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.engine.EndpointPolicy;
import java.util.List;

/**
 * A compiled map as realized: decoded for {@link io.portcullis.policy.verdict.Decider}, with the record's
 * header. The received record itself is not kept (a node of 2,000 endpoints held every map twice):
 * {@link #record()} encodes it again from the decoded policy for {@code GET /v1/endpoints/{id}/policy}; the
 * codec round-trips, so it is the record received. Immutable: realizing a new map swaps the whole object.
 *
 * @param identity the endpoint identity the compiler compiled for; the map applies only while the endpoint has it
 */
public record RealizedPolicy(String node, String endpoint, long identity, long revision, List<String> auditPolicies,
                             EndpointPolicy policy) {

    public RealizedPolicy {
        auditPolicies = auditPolicies == null ? List.of() : List.copyOf(auditPolicies);
    }

    public RealizedPolicy(EndpointPolicyRecord record, EndpointPolicy policy) {
        this(record.node(), record.endpoint(), record.identity(), record.revision(), record.auditPoliciesOrEmpty(),
                policy);
    }

    /** The record this map was realized from. */
    public EndpointPolicyRecord record() {
        EndpointPolicyRecord e = EndpointPolicyCodec.encode(node, endpoint, revision, policy);
        return new EndpointPolicyRecord(e.schemaVersion(), node, endpoint, identity, revision, e.entries(), e.ingress(),
                e.egress()).withAuditPolicies(auditPolicies);
    }
}
