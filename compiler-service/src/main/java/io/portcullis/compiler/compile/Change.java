package io.portcullis.compiler.compile;

import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;

/** One decoded record from an input topic, keyed as on the topic; a null value is a tombstone. */
public sealed interface Change {

    /** {@code portcullis.policies}: an applied or deleted policy (a tombstone only drops a compacted key). */
    record Policy(String key, PolicyEvent event) implements Change {}

    /** {@code portcullis.identities}: null when the identity was released. */
    record Identity(long id, IdentityRecord record) implements Change {}

    /** {@code portcullis.endpoints}, key {@code node/ns/name}. */
    record Endpoint(String key, EndpointRecord record) implements Change {}

    /** {@code portcullis.endpoint-identities}, key {@code node/ns/name}. */
    record EndpointIdentity(String key, EndpointIdentityRecord record) implements Change {}

    /** {@code portcullis.ipcache}, key: the prefix. */
    record IpCache(String prefix, IpCacheRecord record) implements Change {}

    /**
     * How far an identity input was consumed: {@code next} is the offset after the record just submitted
     * on {@code partition} of {@code input} ({@code NodeRevisionRecord.IDENTITIES} or {@code IPCACHE}).
     * Carried into the node watermarks, so nodes can tell that their maps account for an identity.
     */
    record InputOffset(String input, int partition, long next) implements Change {}

    /**
     * A record found on {@code portcullis.endpoint-policies} at start: ours from an earlier run. {@code live}
     * false for a tombstone; {@code digest} ({@code EndpointPolicyCodec.digest}) and {@code revision} of the
     * endpoint record when it is one and decodes, else null and -1 (the record itself is not kept).
     */
    record Published(String key, boolean live, String digest, long revision) implements Change {

        public Published(String key, boolean live, EndpointPolicyRecord record) {
            this(key, live, record == null ? null : EndpointPolicyCodec.digest(record),
                    record == null ? -1 : record.revision());
        }
    }
}
