package io.portcullis.compiler.compile;

import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.engine.EndpointPolicy;
import java.util.List;

/**
 * An endpoint's desired policy: the engine's resolved policy, and what identifies the record last published
 * for it. The record itself is not kept (at 2,000 endpoints × 1,000 policies the encoded copies were most of
 * the heap): {@link #record()} encodes it again from {@code policy}, and change detection compares
 * {@code digest}s. {@code revision} can be older than the current revision when later changes left the map
 * as it was (the node watermark then lists that older revision). Immutable.
 *
 * @param name          {@code namespace/name}
 * @param auditPolicies the audit-mode policies of the map when it was compiled (empty: none)
 * @param digest        {@link EndpointPolicyCodec#digest} of the published record
 */
public record CompiledEndpoint(String key, String node, String name, EndpointPolicy policy, long revision,
                               List<String> auditPolicies, String digest) {

    /** The record published for this endpoint, encoded again (same content, same revision). */
    public EndpointPolicyRecord record() {
        return EndpointPolicyCodec.encode(node, name, revision, policy).withAuditPolicies(auditPolicies);
    }
}
