package io.portcullis.agent.verdict;

import io.portcullis.agent.flow.Audit;
import io.portcullis.agent.flow.FlowRecords;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.policy.l7.kafka.KafkaApiKey;

/** The flow record of a {@code POST /v1/verdicts} answer (origin {@code verdict-api}). */
final class VerdictFlows {

    private VerdictFlows() {}

    static FlowRecord record(String node, VerdictRequest r, FlowMapper.Mapped m, Audit.Outcome outcome, String reason) {
        FlowRecord.Http http = r.http() == null ? null
                : new FlowRecord.Http(r.http().method(), r.http().path(), r.http().host(), null);
        FlowRecord.Kafka kafka = r.kafka() == null ? null
                : new FlowRecord.Kafka(KafkaApiKey.idOf(r.kafka().apiKey()), r.kafka().apiVersion(),
                        r.kafka().clientId(), r.kafka().topics());
        FlowRecord.Dns dns = r.dns() == null ? null : new FlowRecord.Dns(r.dns().qname());
        return FlowRecords.of(node, "verdict-api", peer(m.from()), peer(m.to()), r.port(),
                m.flow().protocol().name(), outcome, reason, http, kafka, dns);
    }

    private static FlowRecord.Peer peer(PeerView v) {
        return new FlowRecord.Peer(v.endpoint(), v.identity(), v.ip());
    }
}
