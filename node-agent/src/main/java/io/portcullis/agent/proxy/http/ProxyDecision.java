package io.portcullis.agent.proxy.http;

import io.portcullis.agent.flow.Audit;
import io.portcullis.agent.flow.FlowRecords;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.verdict.FlowMapper;
import io.portcullis.agent.verdict.PeerView;
import io.portcullis.agent.verdict.VerdictRequest.Target;
import io.portcullis.mesh.flow.FlowRecord;
import io.portcullis.policy.l7.http.HttpRequest;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.mapstate.ProxyParser;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.DirectionVerdict;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;

/**
 * What the HTTP proxy does with one request, decided from the realized state at that moment (so a policy
 * change applies to the next request, also on an open connection). Plain Java.
 *
 * @param action      forward, answer {@code 403} (an HTTP rule denied), or drop (L3/L4 denied it: the
 *                    datapath would never have let the connection reach a proxy)
 * @param destination the local endpoint the request goes to, if it is one
 */
public record ProxyDecision(Action action, Verdict verdict, Audit.Outcome outcome, FlowRecord.Peer source,
                            FlowRecord.Peer destination, LocalEndpoint destinationEndpoint) {

    public enum Action { FORWARD, FORBID, DROP }

    /**
     * @param sourceIp      the client's address (the connection's remote address)
     * @param destinationIp the address the client dialled (the listener's, or the forward-proxy target)
     */
    public static ProxyDecision decide(NodeSnapshot node, ClusterIdentities cluster, String sourceIp,
                                       String destinationIp, int port, HttpRequest request) {
        FlowMapper.Mapped m = FlowMapper.map(new Target(null, sourceIp), new Target(null, destinationIp), Protocol.TCP,
                port, new L7Request.Http(request), node, cluster);
        Verdict v = Decider.decide(m.flow());
        LocalEndpoint src = local(node, m.from());
        LocalEndpoint dst = local(node, m.to());
        Audit.Outcome outcome = FlowRecords.outcome(v, src, dst);
        Action action = outcome.allowed() ? Action.FORWARD : l7Denied(v) ? Action.FORBID : Action.DROP;
        return new ProxyDecision(action, v, outcome, peer(m.from()), peer(m.to()), dst);
    }

    /** Every side that denied did so in its HTTP proxy (not at L3/L4). */
    static boolean l7Denied(Verdict v) {
        for (DirectionVerdict side : List.of(v.egress(), v.ingress())) {
            if (side.decision() == Decision.DENIED && side.redirect() == ProxyParser.NONE) {
                return false;
            }
        }
        return true;
    }

    private static LocalEndpoint local(NodeSnapshot node, PeerView view) {
        return view.local() ? node.endpoint(view.endpoint()) : null;
    }

    private static FlowRecord.Peer peer(PeerView v) {
        return new FlowRecord.Peer(v.endpoint(), v.identity(), v.ip());
    }
}
