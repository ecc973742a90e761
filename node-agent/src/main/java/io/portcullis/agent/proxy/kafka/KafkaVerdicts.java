package io.portcullis.agent.proxy.kafka;

import io.portcullis.agent.flow.Audit;
import io.portcullis.agent.flow.FlowRecords;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.verdict.FlowMapper;
import io.portcullis.agent.verdict.PeerView;
import io.portcullis.agent.verdict.VerdictRequest.Target;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import io.portcullis.kafkaproxy.spi.KafkaFlow;
import io.portcullis.kafkaproxy.spi.KafkaRequestInfo;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.mesh.flow.FlowVerdict;
import io.portcullis.policy.l7.kafka.KafkaApiKey;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Flow;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Verdict;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka requests decided from the realized state of this moment, exactly as the HTTP proxy and the verdict
 * API decide: the source (by address: a local endpoint or the ipcache's identity) and the destination
 * endpoint's realized maps through {@link Decider}, audit mode through {@link FlowRecords#outcome}. So a
 * policy change applies to the next request on an open connection. Plain Java.
 */
public final class KafkaVerdicts {

    static final String ORIGIN = "kafka-proxy";

    private KafkaVerdicts() {}

    /**
     * @param sourceIp      the client's address
     * @param destinationIp the listener's address (the broker endpoint's)
     * @param port          the listener's port (the endpoint's Kafka port the rules name)
     */
    public static KafkaDecision decide(NodeSnapshot node, ClusterIdentities cluster, String sourceIp,
                                       String destinationIp, int port, KafkaRequestInfo request) {
        FlowMapper.Mapped m = FlowMapper.map(new Target(null, sourceIp), new Target(null, destinationIp), Protocol.TCP,
                port, kafka(request, request.topics()), node, cluster);
        Verdict v = Decider.decide(m.flow());
        Audit.Outcome outcome = FlowRecords.outcome(v, local(node, m.from()), local(node, m.to()));
        Set<String> policies = new TreeSet<>(outcome.policies());
        if (outcome.verdict() == FlowVerdict.ALLOWED) {
            return KafkaDecision.allowed(policies, v.reason());
        }
        // Cilium denies a request when any topic is denied; the ones denied on their own are what to refuse.
        Set<String> denied = new LinkedHashSet<>();
        if (request.topics().size() > 1) {
            Flow f = m.flow();
            for (String t : request.topics()) {
                Flow one = new Flow(f.source(), f.destination(), f.protocol(), f.port(), kafka(request, List.of(t)));
                if (!Decider.decide(one).allowed()) {
                    denied.add(t);
                }
            }
        }
        KafkaDecision.Outcome o = outcome.verdict() == FlowVerdict.AUDIT ? KafkaDecision.Outcome.AUDIT
                : KafkaDecision.Outcome.DENIED;
        return new KafkaDecision(o, policies, denied, v.reason());
    }

    private static L7Request.Kafka kafka(KafkaRequestInfo r, List<String> topics) {
        return new L7Request.Kafka(KafkaApiKey.nameOf(r.apiKey()), (int) r.apiVersion(), r.clientId(), topics);
    }

    /** The mesh's flow record for one proxy decision: peers as the agent resolves them, Kafka detail. */
    public static FlowRecord flow(NodeSnapshot node, ClusterIdentities cluster, String destinationIp, int port,
                                  KafkaFlow f) {
        FlowMapper.Mapped m = FlowMapper.map(new Target(null, f.source().address().getAddress().getHostAddress()),
                new Target(null, destinationIp), Protocol.TCP, port, null, node, cluster);
        FlowVerdict verdict = switch (f.verdict()) {
            case ALLOWED -> FlowVerdict.ALLOWED;
            case DENIED -> FlowVerdict.DENIED;
            case AUDIT -> FlowVerdict.AUDIT;
        };
        String reason = f.reason() + (f.deniedTopics().isEmpty() ? "" : " (denied topics " + new TreeSet<>(f.deniedTopics()) + ")");
        return FlowRecords.of(node.node(), ORIGIN, peer(m.from()), peer(m.to()), port, "TCP",
                new Audit.Outcome(verdict, List.copyOf(new TreeSet<>(f.policies()))), reason, null,
                new FlowRecord.Kafka(f.apiKey(), (int) f.apiVersion(), f.clientId(), f.topics()), null);
    }

    private static LocalEndpoint local(NodeSnapshot node, PeerView view) {
        return view.local() ? node.endpoint(view.endpoint()) : null;
    }

    private static FlowRecord.Peer peer(PeerView v) {
        return new FlowRecord.Peer(v.endpoint(), v.identity(), v.ip());
    }
}
