package io.portcullis.compiler.explain;

import io.portcullis.compiler.compile.DesiredState;
import io.portcullis.compiler.compile.EndpointView;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.l7.http.HttpRequest;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Flow;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Peer;
import io.portcullis.policy.verdict.Verdict;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Answers a flow from desired state with {@link Decider}: an endpoint side is evaluated with its desired
 * policy; an IP that is no compiled endpoint is resolved through the ipcache (world when nothing matches)
 * and not evaluated. Stateless; reads one immutable {@link DesiredState}.
 */
public final class Explainer {

    private Explainer() {}

    /** A request that cannot be answered: {@code status} is the HTTP status to send. */
    public static final class ExplainException extends RuntimeException {
        private final int status;

        public ExplainException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static Verdict explain(DesiredState state, ExplainRequest r) {
        Protocol protocol = Protocol.parse(r.protocol() == null ? "TCP" : r.protocol());
        if (protocol == null) {
            throw new ExplainException(400, "unknown protocol " + r.protocol());
        }
        if (Stream.of(r.http(), r.kafka(), r.dns()).filter(x -> x != null).count() > 1) {
            throw new ExplainException(400, "at most one of http, kafka, dns");
        }
        Flow flow = new Flow(peer(state, r.from(), "from"), peer(state, r.to(), "to"), protocol, r.port(), l7(r));
        return Decider.decide(flow);
    }

    private static Peer peer(DesiredState state, ExplainRequest.Target t, String field) {
        if ((t.endpoint() == null) == (t.ip() == null)) {
            throw new ExplainException(400, field + ": give exactly one of endpoint, ip");
        }
        if (t.endpoint() != null) {
            EndpointView ep = state.byName().get(t.endpoint());
            if (ep == null) {
                throw new ExplainException(404, field + ": unknown endpoint " + t.endpoint());
            }
            if (ep.compiled() == null) {
                throw new ExplainException(409, field + ": endpoint " + t.endpoint() + " has no desired policy yet"
                        + (ep.identity() == null ? " (no identity assigned)" : " (identity " + ep.identity() + " not known yet)"));
            }
            return new Peer(ep.name(), ep.compiled().policy().subject().identity(), ep.compiled().policy());
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(t.ip());
        } catch (IllegalArgumentException e) {
            throw new ExplainException(400, field + ": " + e.getMessage());
        }
        EndpointView ep = state.byIp().get(ip.toString());
        if (ep != null && ep.compiled() != null) {
            return new Peer(ep.name(), ep.compiled().policy().subject().identity(), ep.compiled().policy());
        }
        IpCache.Entry entry = state.ipcache().lookup(ip);
        return new Peer(t.ip(), identity(state.identities(), entry.identity()), null);
    }

    private static Identity identity(Map<Long, Identity> known, long id) {
        Identity i = known.get(id);
        if (i != null) {
            return i;
        }
        ReservedIdentity r = ReservedIdentity.byId(id);
        return r != null ? r.identity() : new Identity(id, Labels.EMPTY);
    }

    private static L7Request l7(ExplainRequest r) {
        if (r.http() != null) {
            HttpRequest req = HttpRequest.of(r.http().method(), r.http().path());
            if (r.http().host() != null) {
                req = new HttpRequest(req.method(), req.path(), r.http().host(), req.headers());
            }
            if (r.http().headers() != null) {
                for (Map.Entry<String, String> h : r.http().headers().entrySet()) {
                    req = req.withHeader(h.getKey(), h.getValue());
                }
            }
            return new L7Request.Http(req);
        }
        if (r.kafka() != null) {
            return new L7Request.Kafka(r.kafka().apiKey(), r.kafka().apiVersion(), r.kafka().clientId(), r.kafka().topics());
        }
        if (r.dns() != null) {
            return new L7Request.Dns(r.dns().qname());
        }
        return null;
    }
}
