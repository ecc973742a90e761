package io.portcullis.dnsproxy.rules;

import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.engine.DirectionPolicy;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.FqdnLabels;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.l7.dns.DnsNameMatcher;
import io.portcullis.policy.l7.dns.DnsNames;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.selector.Selector;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Flow;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Peer;
import io.portcullis.policy.verdict.Verdict;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable view of the rules at one moment; the proxy decides every question from one, with no lock
 * and no remote call. A question is decided as node-agent decides a {@code dns} verdict from realized
 * state ({@code FlowMapper} + {@link Decider}): the source endpoint's egress (and the server's ingress when
 * the server is a local endpoint), with the question name as the L7 request. Decisions are memoized per
 * view: a new view (any rule change) starts with an empty memo.
 */
public final class RulesView {

    /** Bounds the memo; past it the memo is emptied (a burst of distinct names cannot grow the heap). */
    static final int MEMO_LIMIT = 65_536;

    /** One local endpoint as the proxy sees it. */
    public record LocalEndpoint(String id, long incarnation, Identity identity, EndpointPolicy policy) {

        public EndpointKey key() {
            return new EndpointKey(id, incarnation);
        }
    }

    private record Question(IpAddress source, IpAddress server, int port, Protocol protocol, String name) {}

    private final String node;
    private final Map<IpAddress, LocalEndpoint> byIp;
    private final Map<Long, Identity> identities;
    private final IpCache ipcache;
    private final Set<EndpointKey> endpoints;
    private final DnsNameMatcher fqdnNames;
    private final Map<Question, RuleDecision> memo = new ConcurrentHashMap<>();

    private RulesView(String node, Map<IpAddress, LocalEndpoint> byIp, Map<Long, Identity> identities, IpCache ipcache,
                      Set<EndpointKey> endpoints, DnsNameMatcher fqdnNames) {
        this.node = node;
        this.byIp = byIp;
        this.identities = identities;
        this.ipcache = ipcache;
        this.endpoints = endpoints;
        this.fqdnNames = fqdnNames;
    }

    static RulesView build(String node, Map<String, EndpointRecord> specs, Map<String, Long> incarnations,
                           Map<String, Long> endpointIdentities,
                           Map<String, EndpointPolicyRecord> records, Map<String, EndpointPolicy> decoded,
                           Map<Long, Identity> identities, IpCache ipcache) {
        Map<Long, Identity> ids = Map.copyOf(identities);
        Map<IpAddress, LocalEndpoint> byIp = new HashMap<>();
        Set<EndpointKey> endpoints = new HashSet<>();
        Set<Selector> selectors = new HashSet<>();
        specs.forEach((id, spec) -> {
            Long identityId = endpointIdentities.get(id);
            Identity identity = identityId == null ? ReservedIdentity.INIT.identity() : identity(ids, identityId);
            EndpointPolicyRecord rec = records.get(id);
            // A map applies only to the identity it was compiled for; without one the endpoint fails closed.
            EndpointPolicy policy = rec != null && identityId != null && rec.identity() == identityId
                    ? decoded.get(id) : failClosed(id, identity, spec);
            LocalEndpoint e = new LocalEndpoint(id, incarnations.getOrDefault(id, 0L), identity, policy);
            endpoints.add(e.key());
            selectors.addAll(policy.selectors());
            for (String ip : spec.ips() == null ? List.<String>of() : spec.ips()) {
                try {
                    byIp.put(IpAddress.parse(ip), e);
                } catch (IllegalArgumentException ignored) { // only a foreign writer could have put it there
                }
            }
        });
        // toFQDNs selectors are only in egress filters; the node's union decides whether an answer can
        // change what any local endpoint may reach.
        return new RulesView(node, Map.copyOf(byIp), ids, ipcache, Set.copyOf(endpoints),
                FqdnLabels.matcher(FqdnLabels.keysIn(selectors)));
    }

    /** An empty view: every source is unknown. */
    public static RulesView empty(String node) {
        return new RulesView(node, Map.of(), Map.of(), new IpCache().snapshot(), Set.of(), DnsNameMatcher.anyOf(List.of()));
    }

    /** The endpoint incarnations of this view; memory kept for any other one is stale. */
    public Set<EndpointKey> endpoints() {
        return endpoints;
    }

    /**
     * True when some toFQDNs selector of a local endpoint's compiled map selects {@code name}: only then can
     * its addresses get an FQDN identity that a map here waits for, so only then is an answer worth holding.
     */
    public boolean fqdnSelected(String name) {
        return fqdnNames.matches(name);
    }

    public String node() {
        return node;
    }

    public int endpointAddresses() {
        return byIp.size();
    }

    /** The local endpoint owning {@code ip}, or null. */
    public LocalEndpoint endpointAt(IpAddress ip) {
        return byIp.get(ip);
    }

    /**
     * Decides a question of {@code source} to the DNS server {@code server} on {@code port}/{@code protocol}.
     */
    public RuleDecision decide(IpAddress source, IpAddress server, int port, Protocol protocol, String qname) {
        Question q = new Question(source, server, port, protocol, DnsNames.normalize(qname));
        RuleDecision d = memo.get(q);
        if (d != null) {
            return d;
        }
        d = compute(q, qname);
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(q, d);
        return d;
    }

    private RuleDecision compute(Question q, String qname) {
        LocalEndpoint src = byIp.get(q.source());
        if (src == null) {
            return new RuleDecision(RuleDecision.Outcome.UNKNOWN_SOURCE, null,
                    "source " + q.source() + " is no endpoint of node " + node);
        }
        LocalEndpoint localServer = byIp.get(q.server());
        Peer server = localServer != null
                ? new Peer(localServer.id(), localServer.identity(), localServer.policy())
                : new Peer(q.server().toString(), identity(identities, ipcache.lookup(q.server()).identity()), null);
        Verdict v = Decider.decide(new Flow(new Peer(src.id(), src.identity(), src.policy()), server, q.protocol(),
                q.port(), new L7Request.Dns(qname)));
        return new RuleDecision(v.allowed() ? RuleDecision.Outcome.ALLOWED : RuleDecision.Outcome.DENIED, src.key(),
                v.reason());
    }

    private static Identity identity(Map<Long, Identity> ids, long id) {
        Identity known = ids.get(id);
        if (known != null) {
            return known;
        }
        ReservedIdentity reserved = ReservedIdentity.byId(id);
        return reserved != null ? reserved.identity() : new Identity(id, Labels.of());
    }

    /** Denies both directions, as node-agent does for an endpoint without a realized map. */
    private static EndpointPolicy failClosed(String id, Identity identity, EndpointRecord spec) {
        DirectionPolicy closed = new DirectionPolicy(true, true, Set.of(), List.of(),
                "waiting for policy: no policy map is realized for " + id + " yet");
        return new EndpointPolicy(new Subject(identity, spec.namedPorts() == null ? Map.of() : spec.namedPorts()),
                MapState.EMPTY, closed, closed, Set.of(), Set.of());
    }
}
