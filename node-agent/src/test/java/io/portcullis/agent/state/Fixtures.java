package io.portcullis.agent.state;

import io.portcullis.mesh.compiled.EndpointPolicyCodec;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.Labels;
import java.util.List;
import java.util.Map;

/** Small state building blocks for unit tests. */
public final class Fixtures {

    public static final String NODE = "node-1";

    private Fixtures() {}

    public static EndpointRecord spec(String id, String... ips) {
        String[] nsName = id.split("/");
        return new EndpointRecord(EndpointRecord.SCHEMA_VERSION, NODE, nsName[0], nsName[1], Map.of("app", nsName[1]),
                Map.of(), "default", List.of(ips), Map.of());
    }

    /** A map that enforces nothing, compiled for {@code identity} at {@code revision}. */
    public static RealizedPolicy map(String id, long identity, long revision) {
        EndpointPolicyRecord.Direction open = new EndpointPolicyRecord.Direction(false, false, List.of(), null, List.of());
        EndpointPolicyRecord r = new EndpointPolicyRecord(EndpointPolicyRecord.SCHEMA_VERSION, NODE, id, identity,
                revision, List.of(), open, open);
        return new RealizedPolicy(r, EndpointPolicyCodec.decode(r, Subject.of(new Identity(identity, Labels.of()))));
    }
}
