package io.portcullis.agent.verdict;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.state.ClusterIdentities;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.policy.engine.DirectionPolicy;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.l7.http.HttpRequest;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Flow;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Peer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verdict request → the {@link Flow} {@link io.portcullis.policy.verdict.Decider} decides, from realized
 * state only (as {@code InProcessCluster.check} does from the engine):
 * <ul>
 *   <li>{@code endpoint: ns/name} must be a local endpoint; an {@code ip} that a local endpoint owns is
 *       that endpoint; any other address is a remote peer with its ipcache identity (world when none);</li>
 *   <li>a local endpoint is evaluated with its realized map; without one (no identity yet, or no map
 *       compiled for its identity) it fails closed: everything to and from it is denied;</li>
 *   <li>an endpoint without identity takes part as {@code reserved:init}, as in Cilium.</li>
 * </ul>
 */
public final class FlowMapper {

    /** The flow and how each side was resolved. */
    public record Mapped(Flow flow, PeerView from, PeerView to) {}

    private FlowMapper() {}

    /** @throws ApiException 400 for a malformed request, 422 for an endpoint that is not on this node */
    public static Mapped map(VerdictRequest r, NodeSnapshot node, ClusterIdentities cluster) {
        Protocol protocol = protocol(r);
        int port = port(r);
        L7Request l7 = l7(r);
        return map(r.from(), r.to(), protocol, port, l7, node, cluster);
    }

    /** The same for a flow the proxies see (already well-formed). */
    public static Mapped map(VerdictRequest.Target fromTarget, VerdictRequest.Target toTarget, Protocol protocol,
                             int port, L7Request l7, NodeSnapshot node, ClusterIdentities cluster) {
        Side from = side("from", fromTarget, node, cluster);
        Side to = side("to", toTarget, node, cluster);
        return new Mapped(new Flow(from.peer(), to.peer(), protocol, port, l7), from.view(), to.view());
    }

    private record Side(Peer peer, PeerView view) {}

    private static Side side(String field, VerdictRequest.Target t, NodeSnapshot node, ClusterIdentities cluster) {
        if (t == null) {
            throw new ApiException(400, field + " is required: {\"endpoint\": \"ns/name\"} or {\"ip\": \"...\"}");
        }
        if ((t.endpoint() == null) == (t.ip() == null)) {
            throw new ApiException(400, field + " must have exactly one of endpoint and ip");
        }
        if (t.endpoint() != null) {
            LocalEndpoint e = node.endpoint(t.endpoint());
            if (e == null) {
                throw new ApiException(422, field + ".endpoint: no endpoint " + t.endpoint() + " on node "
                        + node.node() + " (endpoints are namespace/name; a remote peer is given by its ip)");
            }
            return local(e, null, cluster);
        }
        IpAddress ip;
        try {
            ip = ParsedAddresses.parse(t.ip());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, field + ".ip: not an IP address: " + e.getMessage());
        }
        LocalEndpoint e = node.endpointAt(ip);
        if (e != null) {
            return local(e, t.ip(), cluster);
        }
        Identity id = cluster.identity(cluster.lookup(ip).identity());
        return new Side(new Peer(t.ip(), id, null), new PeerView(null, t.ip(), id.id(), false, null, null));
    }

    private static Side local(LocalEndpoint e, String ip, ClusterIdentities cluster) {
        Identity id = e.identity() != null ? cluster.identity(e.identity()) : ReservedIdentity.INIT.identity();
        EndpointPolicy policy = e.realized() != null ? e.realized().policy() : failClosed(e, id);
        return new Side(new Peer(e.id(), id, policy),
                new PeerView(e.id(), ip, id.id(), true, e.state(), e.policyRevision()));
    }

    /** Denies both directions; the reason Decider gives names the missing map. */
    static EndpointPolicy failClosed(LocalEndpoint e, Identity id) {
        DirectionPolicy closed = new DirectionPolicy(true, true, Set.of(), List.of(),
                "waiting for policy: endpoint " + e.id() + " is " + e.state().wireName()
                        + ", no policy map is realized for it yet");
        return new EndpointPolicy(new Subject(id, e.spec().namedPorts()), MapState.EMPTY, closed, closed, Set.of(),
                Set.of());
    }

    private static Protocol protocol(VerdictRequest r) {
        if (r.protocol() == null) {
            throw new ApiException(400, "protocol is required: TCP, UDP or SCTP (or ICMP, ICMPV6, ANY)");
        }
        Protocol p = Protocol.parse(r.protocol());
        if (p == null || r.protocol().isEmpty()) {
            throw new ApiException(400, "protocol: unknown protocol '" + r.protocol() + "' (TCP, UDP, SCTP, ICMP, ICMPV6, ANY)");
        }
        return p;
    }

    private static int port(VerdictRequest r) {
        if (r.port() == null) {
            throw new ApiException(400, "port is required (0-65535)");
        }
        if (r.port() < 0 || r.port() > 65535) {
            throw new ApiException(400, "port must be between 0 and 65535, got " + r.port());
        }
        return r.port();
    }

    private static L7Request l7(VerdictRequest r) {
        int given = (r.http() != null ? 1 : 0) + (r.kafka() != null ? 1 : 0) + (r.dns() != null ? 1 : 0);
        if (given > 1) {
            throw new ApiException(400, "at most one of http, kafka and dns may be given");
        }
        if (r.http() != null) {
            VerdictRequest.Http h = r.http();
            HttpRequest req = new HttpRequest(h.method(), h.path(), h.host(), Map.of());
            if (h.headers() != null) {
                for (Map.Entry<String, String> header : h.headers().entrySet()) {
                    if (header.getValue() == null) {
                        throw new ApiException(400, "http.headers." + header.getKey() + ": value must be a string");
                    }
                    req = req.withHeader(header.getKey(), header.getValue());
                }
            }
            return new L7Request.Http(req);
        }
        if (r.kafka() != null) {
            VerdictRequest.Kafka k = r.kafka();
            if (k.apiKey() == null || k.apiKey().isEmpty()) {
                throw new ApiException(400, "kafka.apiKey is required (a name such as produce, or a number)");
            }
            return new L7Request.Kafka(k.apiKey(), k.apiVersion(), k.clientId(), k.topics());
        }
        if (r.dns() != null) {
            if (r.dns().qname() == null || r.dns().qname().isEmpty()) {
                throw new ApiException(400, "dns.qname is required");
            }
            return new L7Request.Dns(r.dns().qname());
        }
        return null;
    }
}
