package io.portcullis.policy.engine;

import io.portcullis.policy.api.CIDRRule;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.EgressDenyRule;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.ICMPField;
import io.portcullis.policy.api.ICMPRule;
import io.portcullis.policy.api.IngressDenyRule;
import io.portcullis.policy.api.IngressRule;
import io.portcullis.policy.api.LabelSelectorRequirement;
import io.portcullis.policy.api.PortDenyRule;
import io.portcullis.policy.api.PortProtocol;
import io.portcullis.policy.api.PortRule;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately naive L3/L4 policy evaluator, written straight from CILIUM-SEMANTICS.md and the API
 * records, in the spirit of Cilium's {@code pkg/policy/testutils/simulate.go}. It shares nothing with the
 * engine's translation, resolution or map state: no {@code RuleTranslator}, {@code Selector},
 * {@code PolicyResolver}, {@code L4Filter} or {@code MapState}. It walks every rule of every policy for
 * each question, which is slow and obviously correct, and is the oracle for {@link PolicyPropertyTest}.
 *
 * <p>Semantics (section numbers of CILIUM-SEMANTICS.md):
 * <ul>
 *   <li>Only rules whose subject selects the endpoint count; a CNP selects only its own namespace and
 *       its user-written namespace requirement is replaced (§1.6).</li>
 *   <li>A direction is enforced iff a selecting rule has a non-empty allow or deny list in it; it is
 *       default deny unless every such rule sets {@code enableDefaultDeny.<dir>: false} (§3.8).</li>
 *   <li>Any matching deny wins; else any matching allow; else the default (§3.6, §6.3).</li>
 *   <li>Peers (§2.3–§2.5): a present-but-empty peer list selects nothing; no peer field at all means
 *       every peer, but only with {@code toPorts} or {@code icmps} ({@code ingress: [{}]} adds nothing,
 *       following the engine and Test_MergeRules row 0 rather than simulate.go, §7 item 8).</li>
 *   <li>Ports (§3.1): no {@code toPorts} (absent or {@code []}, Cilium tests {@code len(ToPorts) == 0})
 *       and no {@code icmps} = L3-only, every protocol and port; a {@code toPorts} item with an empty
 *       {@code ports} list adds nothing. ANY = TCP/UDP/SCTP. Port 0 with endPort 0 or 65535 = every port;
 *       otherwise {@code [port, endPort]} when endPort &gt; port, else the single port. Named ports resolve
 *       against the subject's container ports on ingress and against all endpoints' ports on egress
 *       (the caller resolves conflicts); unresolved = no entry.</li>
 *   <li>L7 rules are ignored: an L7-redirected port is allowed at L4.</li>
 * </ul>
 */
final class ReferenceEvaluator {

    enum Verdict { ALLOWED, DENIED }

    /**
     * One side of a flow as the evaluator sees it: identity labels, plus the IP for a world peer (null for
     * pods, nodes and the bare world identity; CIDR rules never select pods or nodes, §2.5).
     */
    record Party(Labels labels, String ip) {}

    private static final String NS = "io.kubernetes.pod.namespace";
    private static final String NS_LABELS = "io.cilium.k8s.namespace.labels";
    private static final String CLUSTER = "io.cilium.k8s.policy.cluster";
    private static final List<Protocol> ANY_PORT_PROTOCOLS = List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP);

    private final List<CiliumPolicy> policies;
    private final String clusterName;

    ReferenceEvaluator(List<CiliumPolicy> policies, String clusterName) {
        this.policies = List.copyOf(policies);
        this.clusterName = clusterName;
    }

    /**
     * The verdict of {@code subject}'s policy in {@code dir} for traffic with {@code peer}.
     *
     * @param namedPorts ingress: the subject's container ports; egress: every endpoint's ports (without
     *                   conflicting names)
     */
    Verdict evaluate(Direction dir, Labels subject, Map<String, Integer> namedPorts, Party peer, Protocol proto,
                     int port) {
        boolean enforced = false;
        boolean defaultDeny = false;
        boolean allowed = false;
        boolean denied = false;
        for (CiliumPolicy p : policies) {
            String ns = p.policyKind() == io.portcullis.policy.api.PolicyKind.CNP ? p.metadata().namespace() : null;
            for (Rule r : p.rules()) {
                if (!subjectSelects(r, ns, subject)) {
                    continue;
                }
                List<Entry> entries = entries(r, dir);
                if (entries.isEmpty()) {
                    continue;
                }
                enforced = true;
                Boolean dd = r.enableDefaultDeny() == null ? null
                        : dir == Direction.INGRESS ? r.enableDefaultDeny().ingress() : r.enableDefaultDeny().egress();
                if (dd == null || dd) {
                    defaultDeny = true;
                }
                for (Entry e : entries) {
                    if (matches(e, ns, peer, proto, port, namedPorts)) {
                        if (e.deny) {
                            denied = true;
                        } else {
                            allowed = true;
                        }
                    }
                }
            }
        }
        if (!enforced) {
            return Verdict.ALLOWED;
        }
        if (denied) {
            return Verdict.DENIED;
        }
        return allowed || !defaultDeny ? Verdict.ALLOWED : Verdict.DENIED;
    }

    // ---------------------------------------------------------------- rules as uniform entries

    /** One ingress/egress (deny) item, peers and ports as written. */
    private record Entry(boolean deny, List<EndpointSelector> endpoints, List<String> cidrs, List<CIDRRule> cidrSets,
                         List<String> entities, List<List<PortProtocol>> toPorts, List<ICMPRule> icmps) {}

    private static List<Entry> entries(Rule r, Direction dir) {
        List<Entry> out = new ArrayList<>();
        if (dir == Direction.INGRESS) {
            for (IngressRule i : nullSafe(r.ingress())) {
                out.add(new Entry(false, i.fromEndpoints(), i.fromCIDR(), i.fromCIDRSet(), i.fromEntities(),
                        allowPorts(i.toPorts()), i.icmps()));
            }
            for (IngressDenyRule i : nullSafe(r.ingressDeny())) {
                out.add(new Entry(true, i.fromEndpoints(), i.fromCIDR(), i.fromCIDRSet(), i.fromEntities(),
                        denyPorts(i.toPorts()), i.icmps()));
            }
        } else {
            for (EgressRule e : nullSafe(r.egress())) {
                out.add(new Entry(false, e.toEndpoints(), e.toCIDR(), e.toCIDRSet(), e.toEntities(),
                        allowPorts(e.toPorts()), e.icmps()));
            }
            for (EgressDenyRule e : nullSafe(r.egressDeny())) {
                out.add(new Entry(true, e.toEndpoints(), e.toCIDR(), e.toCIDRSet(), e.toEntities(),
                        denyPorts(e.toPorts()), e.icmps()));
            }
        }
        return out;
    }

    private static List<List<PortProtocol>> allowPorts(List<PortRule> l) {
        if (l == null) {
            return null;
        }
        List<List<PortProtocol>> out = new ArrayList<>();
        l.forEach(pr -> out.add(nullSafe(pr.ports())));
        return out;
    }

    private static List<List<PortProtocol>> denyPorts(List<PortDenyRule> l) {
        if (l == null) {
            return null;
        }
        List<List<PortProtocol>> out = new ArrayList<>();
        l.forEach(pr -> out.add(nullSafe(pr.ports())));
        return out;
    }

    // ---------------------------------------------------------------- one entry against one flow

    private boolean matches(Entry e, String ns, Party peer, Protocol proto, int port, Map<String, Integer> namedPorts) {
        List<?>[] peerFields = {e.endpoints, e.cidrs, e.cidrSets, e.entities};
        boolean anyPeerField = false;
        for (List<?> f : peerFields) {
            if (f != null) {
                if (f.isEmpty()) {
                    return false; // fromEndpoints: [] (or any empty peer list) selects nothing
                }
                anyPeerField = true;
            }
        }
        boolean hasPorts = e.toPorts != null && !e.toPorts.isEmpty();
        boolean hasIcmps = e.icmps != null && !e.icmps.isEmpty();
        if (!anyPeerField && !hasPorts && !hasIcmps) {
            return false; // ingress: [{}]: enforces the direction, allows nothing
        }
        if (anyPeerField && !peerMatches(e, ns, peer)) {
            return false;
        }
        if (!hasPorts && !hasIcmps) {
            return true; // L3-only: all protocols, all ports
        }
        for (List<PortProtocol> ports : nullSafe(e.toPorts)) {
            for (PortProtocol pp : ports) {
                if (portMatches(pp, proto, port, namedPorts)) {
                    return true;
                }
            }
        }
        for (ICMPRule ir : nullSafe(e.icmps)) {
            for (ICMPField f : nullSafe(ir.fields())) {
                Protocol want = "IPv6".equals(f.family()) ? Protocol.ICMPV6 : Protocol.ICMP;
                // ICMP type 0 (EchoReply) becomes port 0, which the map treats as "every type" of that
                // family: Cilium does the same (icmp.go → PortProtocol{Port: "0"} → PortRangeToMaskedPorts(0, 0)
                // is the wildcard). Not in the spec; pinned to Cilium's and the engine's behaviour.
                int type = icmpType(f);
                if (proto == want && (port == type || type == 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int icmpType(ICMPField f) {
        String t = f.type();
        if (t.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(t);
        }
        boolean v6 = "IPv6".equals(f.family());
        return switch (t) {
            case "EchoRequest" -> v6 ? 128 : 8;
            case "EchoReply" -> v6 ? 129 : 0;
            default -> throw new IllegalArgumentException("ICMP type not known to the reference: " + t);
        };
    }

    private static boolean portMatches(PortProtocol pp, Protocol proto, int port, Map<String, Integer> namedPorts) {
        String p = pp.protocol() == null ? "ANY" : pp.protocol().toUpperCase(Locale.ROOT);
        List<Protocol> protos = p.equals("ANY") || p.isEmpty() ? ANY_PORT_PROTOCOLS : List.of(Protocol.valueOf(p));
        if (!protos.contains(proto)) {
            return false;
        }
        String text = pp.port() == null || pp.port().isEmpty() ? "0" : pp.port();
        if (text.chars().anyMatch(Character::isLetter)) {
            Integer resolved = namedPorts.get(text.toLowerCase(Locale.ROOT));
            return resolved != null && resolved == port; // endPort is not generated with named ports
        }
        int start = Integer.parseInt(text);
        int end = pp.endPort() == null ? 0 : pp.endPort();
        if (start == 0 && (end == 0 || end == 65535)) {
            return true;
        }
        if (end <= start) {
            return port == start;
        }
        return port >= start && port <= end;
    }

    // ---------------------------------------------------------------- peers

    private boolean peerMatches(Entry e, String ns, Party peer) {
        for (EndpointSelector es : nullSafe(e.endpoints)) {
            if (endpointPeerMatches(es, ns, peer.labels())) {
                return true;
            }
        }
        for (String c : nullSafe(e.cidrs)) {
            if (cidrMatches(c, List.of(), peer)) {
                return true;
            }
        }
        for (CIDRRule c : nullSafe(e.cidrSets)) {
            if (c.cidr() != null && cidrMatches(c.cidr(), nullSafe(c.except()), peer)) {
                return true;
            }
        }
        for (String ent : nullSafe(e.entities)) {
            if (entityMatches(ent, peer.labels())) {
                return true;
            }
        }
        return false;
    }

    /**
     * §1.6 getEndpointSelector: a selector with a {@code reserved:} key is used as is; otherwise, without a
     * namespace key, a CNP adds its own namespace (unless a namespace-labels key is present) and a CCNP
     * requires some namespace (i.e. a pod).
     */
    private static boolean endpointPeerMatches(EndpointSelector es, String ns, Labels peer) {
        List<Req> reqs = requirements(es);
        boolean reserved = reqs.stream().anyMatch(r -> r.source.equals("reserved"));
        if (!reserved && reqs.stream().noneMatch(r -> r.key.equals(NS) && (r.source.equals("k8s") || r.source.equals("any")))) {
            if (ns != null) {
                if (reqs.stream().noneMatch(r -> r.key.startsWith(NS_LABELS))) {
                    reqs.add(new Req("k8s", NS, "In", List.of(ns)));
                }
            } else {
                reqs.add(new Req("k8s", NS, "Exists", List.of()));
            }
        }
        return reqs.stream().allMatch(r -> r.matches(peer));
    }

    private boolean subjectSelects(Rule r, String ns, Labels subject) {
        if (r.endpointSelector() == null) {
            return false;
        }
        List<Req> reqs = requirements(r.endpointSelector());
        if (ns != null) {
            reqs.removeIf(q -> q.key.equals(NS));
            reqs.add(new Req("k8s", NS, "In", List.of(ns)));
        }
        return reqs.stream().allMatch(q -> q.matches(subject));
    }

    private boolean entityMatches(String entity, Labels peer) {
        return switch (entity) {
            case "all" -> true;
            case "world" -> hasReserved(peer, "world") || hasReserved(peer, "world-ipv4") || hasReserved(peer, "world-ipv6");
            case "cluster" -> {
                for (String r : List.of("host", "remote-node", "init", "ingress", "health", "unmanaged", "kube-apiserver")) {
                    if (hasReserved(peer, r)) {
                        yield true;
                    }
                }
                yield peer.contains(Label.k8s(CLUSTER, clusterName));
            }
            default -> hasReserved(peer, entity); // host, remote-node, kube-apiserver, health, ..., none
        };
    }

    private static boolean hasReserved(Labels l, String name) {
        return l.contains(Label.reserved(name));
    }

    /**
     * §2.5: CIDR peers select only identities with a world label. A /0 prefix is the world label itself (so
     * it also selects the world identity, whose IP is unknown); any other prefix needs the peer's IP inside
     * it. An except excludes the peer when its IP falls inside the except.
     */
    private static boolean cidrMatches(String cidr, List<String> except, Party peer) {
        boolean world = hasReserved(peer.labels(), "world") || hasReserved(peer.labels(), "world-ipv4")
                || hasReserved(peer.labels(), "world-ipv6");
        if (!world) {
            return false;
        }
        if (prefixLength(cidr) == 0) {
            // single stack: every CIDR identity carries reserved:world whatever its family
        } else if (peer.ip() == null || !contains(cidr, peer.ip())) {
            return false;
        }
        for (String ex : except) {
            if (peer.ip() != null && contains(ex, peer.ip())) {
                return false;
            }
        }
        return true;
    }

    private static int prefixLength(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? -1 : Integer.parseInt(cidr.substring(slash + 1));
    }

    /** Byte-wise prefix containment with java.net; different families never contain each other. */
    static boolean contains(String cidr, String ip) {
        int slash = cidr.indexOf('/');
        byte[] net = bytes(slash < 0 ? cidr : cidr.substring(0, slash));
        byte[] addr = bytes(ip);
        if (net.length != addr.length) {
            return false;
        }
        int bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // literals only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    // ---------------------------------------------------------------- label selectors

    /** One requirement: {@code source:key op values}; a key written without a source has source {@code any}. */
    private record Req(String source, String key, String op, List<String> values) {

        static Req of(String sourceKey, String op, List<String> values) {
            int colon = sourceKey.indexOf(':');
            return colon < 0 ? new Req("any", sourceKey, op, values)
                    : new Req(sourceKey.substring(0, colon), sourceKey.substring(colon + 1), op, values);
        }

        boolean matches(Labels labels) {
            Label found = null;
            for (Label l : labels) {
                if (l.key().equals(key) && (source.equals("any") || source.equals(l.source()))) {
                    found = l;
                    break;
                }
            }
            return switch (op) {
                case "In" -> found != null && values.contains(found.value());
                case "NotIn" -> found == null || !values.contains(found.value());
                case "Exists" -> found != null;
                case "DoesNotExist" -> found == null;
                default -> throw new IllegalArgumentException(op);
            };
        }
    }

    private static List<Req> requirements(EndpointSelector es) {
        List<Req> out = new ArrayList<>();
        if (es.matchLabels() != null) {
            es.matchLabels().forEach((k, v) -> out.add(Req.of(k, "In", List.of(v))));
        }
        for (LabelSelectorRequirement r : nullSafe(es.matchExpressions())) {
            out.add(Req.of(r.key(), r.operator(), nullSafe(r.values())));
        }
        return out;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }
}
