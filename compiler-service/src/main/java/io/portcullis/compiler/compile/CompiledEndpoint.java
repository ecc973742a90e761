package io.portcullis.compiler.compile;

import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.policy.engine.EndpointPolicy;

/**
 * An endpoint's desired policy: the engine's resolved policy and the record last published for it.
 * {@code record.revision()} can be older than the current revision when later changes left the map
 * as it was (the node watermark then lists that older revision). Immutable.
 *
 * @param name {@code namespace/name}
 */
public record CompiledEndpoint(String key, String node, String name, EndpointPolicy policy,
                               EndpointPolicyRecord record) {}
