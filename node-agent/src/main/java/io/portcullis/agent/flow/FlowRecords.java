package io.portcullis.agent.flow;

import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.Verdict;
import java.time.Instant;
import java.util.Set;

/** Builds flow records and the audit sets they depend on; plain Java. */
public final class FlowRecords {

    private FlowRecords() {}

    /** The audit-mode policies of a local endpoint's realized map (empty for none or a remote peer). */
    public static Set<String> auditPolicies(LocalEndpoint e) {
        if (e == null || e.realized() == null) {
            return Set.of();
        }
        return Set.copyOf(e.realized().auditPolicies());
    }

    /** The enforced outcome of a verdict between these peers (either may be null: not a local endpoint). */
    public static Audit.Outcome outcome(Verdict v, LocalEndpoint source, LocalEndpoint destination) {
        if (v.verdict() != Decision.DENIED) { // the audit sets matter only for a deny: no copies per allowed request
            return Audit.apply(v, Set.of(), Set.of());
        }
        return Audit.apply(v, auditPolicies(source), auditPolicies(destination));
    }

    public static FlowRecord of(String node, String origin, FlowRecord.Peer source, FlowRecord.Peer destination,
                                int port, String protocol, Audit.Outcome outcome, String reason,
                                FlowRecord.Http http, FlowRecord.Kafka kafka, FlowRecord.Dns dns) {
        return new FlowRecord(FlowRecord.SCHEMA_VERSION, Instant.now().toString(), node, origin, source, destination,
                port, protocol, outcome.verdict(), outcome.policies(), reason, http, kafka, dns);
    }
}
