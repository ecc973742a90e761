package io.portcullis.policy.verdict;

import io.portcullis.policy.engine.DirectionPolicy;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.mapstate.ProxyParser;
import io.portcullis.policy.mapstate.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides flows the way the datapath and the proxies would: the source's egress map, then the
 * destination's ingress map, each with its L7 proxy when the winning entry redirects.
 */
public final class Decider {

    private Decider() {}

    public static Verdict decide(Flow flow) {
        DirectionVerdict egress = flow.source().isLocalEndpoint()
                ? decide(flow.source().policy(), Direction.EGRESS, flow.destination().identity(), flow)
                : DirectionVerdict.notEvaluated("source is not a local endpoint");
        DirectionVerdict ingress = flow.destination().isLocalEndpoint()
                ? decide(flow.destination().policy(), Direction.INGRESS, flow.source().identity(), flow)
                : DirectionVerdict.notEvaluated("destination is not a local endpoint");
        boolean denied = egress.denied() || ingress.denied();
        List<String> policies = new ArrayList<>();
        StringBuilder reason = new StringBuilder();
        for (DirectionVerdict v : List.of(egress, ingress)) {
            if (v.decision() == Decision.NOT_EVALUATED || (denied && !v.denied())) {
                continue;
            }
            for (String p : v.policies()) {
                if (!policies.contains(p)) {
                    policies.add(p);
                }
            }
            reason.append(reason.length() == 0 ? "" : "; ").append(v == egress ? "egress: " : "ingress: ").append(v.reason());
        }
        return new Verdict(denied ? Decision.DENIED : Decision.ALLOWED, egress, ingress, policies, reason.toString());
    }

    /** One endpoint's verdict in one direction against a peer. */
    public static DirectionVerdict decide(EndpointPolicy policy, Direction dir, Identity peer, Flow flow) {
        DirectionPolicy dp = policy.direction(dir);
        String peerName = dir == Direction.EGRESS ? flow.destination().toString() : flow.source().toString();
        if (dp.error() != null) {
            return new DirectionVerdict(Decision.DENIED, true, null, ProxyParser.NONE, Set.of(),
                    "policy could not be resolved: " + dp.error());
        }
        if (!dp.enforced()) {
            return new DirectionVerdict(Decision.ALLOWED, false, null, ProxyParser.NONE, Set.of(),
                    "no policy selects the endpoint for " + dir.lower());
        }
        MapState.Match m = policy.mapState().lookup(peer.id(), dir, flow.protocol(), flow.port());
        if (m == null) {
            return new DirectionVerdict(Decision.DENIED, true, null, ProxyParser.NONE, dp.defaultDenyPolicies(),
                    "default deny: no " + dir.lower() + " rule allows " + peerName + " on " + flow.port() + "/" + flow.protocol());
        }
        Set<String> from = new TreeSet<>(m.entry().derivedFrom());
        String key = m.key().toString();
        if (m.entry().deny()) {
            return new DirectionVerdict(Decision.DENIED, true, key, ProxyParser.NONE, from,
                    "denied by " + dir.lower() + " deny rule " + key);
        }
        if (!m.entry().isRedirect()) {
            return new DirectionVerdict(Decision.ALLOWED, true, key, ProxyParser.NONE, from, "allowed by " + key);
        }
        ProxyParser parser = m.entry().parser();
        if (flow.l7() == null) {
            return new DirectionVerdict(Decision.ALLOWED, true, key, parser, from,
                    "allowed at L4 by " + key + ", redirected to the " + parser.lower() + " proxy (no L7 request given)");
        }
        L7Evaluator.Outcome o = L7Evaluator.evaluate(dp.filtersFor(flow.protocol(), flow.port()), peer, parser, flow.l7());
        return new DirectionVerdict(o.allowed() ? Decision.ALLOWED : Decision.DENIED, true, key, parser,
                o.policies().isEmpty() ? from : o.policies(), o.reason());
    }

    /** Convenience for callers that only have a port-level question. */
    public static Verdict decide(Peer source, Peer destination, Protocol protocol, int port) {
        return decide(new Flow(source, destination, protocol, port, null));
    }
}
