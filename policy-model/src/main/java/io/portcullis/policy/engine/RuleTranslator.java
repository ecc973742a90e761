package io.portcullis.policy.engine;

import io.portcullis.policy.api.CIDRRule;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.EgressDenyRule;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.ICMPField;
import io.portcullis.policy.api.ICMPTypes;
import io.portcullis.policy.api.ICMPRule;
import io.portcullis.policy.api.IngressDenyRule;
import io.portcullis.policy.api.IngressRule;
import io.portcullis.policy.api.L7Rules;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.PortDenyRule;
import io.portcullis.policy.api.PortProtocol;
import io.portcullis.policy.api.PortRule;
import io.portcullis.policy.api.PortSpec;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.engine.TranslatedRule.PeerRule;
import io.portcullis.policy.engine.TranslatedRule.PortSelection;
import io.portcullis.policy.ip.IpPrefix;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.selector.Requirement;
import io.portcullis.policy.selector.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * Parse-time rewriting of a validated policy into {@link TranslatedRule}s
 * ({@code pkg/k8s/apis/cilium.io/utils/utils.go ParseToCiliumRule}, §1.6, §2.3–§2.6, §3.1).
 * Pure: the same policy always translates to equal rules.
 */
public final class RuleTranslator {

    private static final String NAMESPACE_LABEL = EndpointLabels.POD_NAMESPACE_LABEL;
    private static final String NAMESPACE_LABELS_PREFIX = EndpointLabels.NAMESPACE_LABELS_PREFIX;

    private final EngineConfig config;

    public RuleTranslator(EngineConfig config) {
        this.config = config;
    }

    public List<TranslatedRule> translate(CiliumPolicy policy) {
        boolean cnp = policy.policyKind() == PolicyKind.CNP;
        String ns = cnp ? policy.metadata().namespace() : null;
        List<TranslatedRule> out = new ArrayList<>();
        for (Rule r : policy.rules()) {
            if (r.endpointSelector() == null) {
                continue; // nodeSelector rules select the host firewall, which we do not run
            }
            Selector subject = subject(r.endpointSelector(), ns);
            boolean initSubject = subject.hasKey(Label.SOURCE_RESERVED, "init");
            Peers peers = new Peers(ns, initSubject);
            List<PeerRule> ingress = new ArrayList<>();
            List<PeerRule> egress = new ArrayList<>();
            for (IngressRule ir : nullSafe(r.ingress())) {
                add(ingress, false, peers.ingress(ir.fromEndpoints(), ir.fromCIDR(), ir.fromCIDRSet(), ir.fromEntities(),
                        ir.fromGroups(), ir.fromNodes()), allowPorts(ir.toPorts()), given(ir.toPorts()), ir.icmps());
            }
            for (IngressDenyRule ir : nullSafe(r.ingressDeny())) {
                add(ingress, true, peers.ingress(ir.fromEndpoints(), ir.fromCIDR(), ir.fromCIDRSet(), ir.fromEntities(),
                        ir.fromGroups(), ir.fromNodes()), denyPorts(ir.toPorts()), given(ir.toPorts()), ir.icmps());
            }
            for (EgressRule er : nullSafe(r.egress())) {
                add(egress, false, peers.egress(er.toEndpoints(), er.toCIDR(), er.toCIDRSet(), er.toEntities(),
                        er.toServices(), er.toGroups(), er.toNodes(), er.toFQDNs()), allowPorts(er.toPorts()),
                        given(er.toPorts()), er.icmps());
            }
            for (EgressDenyRule er : nullSafe(r.egressDeny())) {
                add(egress, true, peers.egress(er.toEndpoints(), er.toCIDR(), er.toCIDRSet(), er.toEntities(),
                        er.toServices(), er.toGroups(), er.toNodes(), null), denyPorts(er.toPorts()),
                        given(er.toPorts()), er.icmps());
            }
            Boolean ddIn = r.enableDefaultDeny() == null ? null : r.enableDefaultDeny().ingress();
            Boolean ddEg = r.enableDefaultDeny() == null ? null : r.enableDefaultDeny().egress();
            out.add(new TranslatedRule(policy.key(), ns, subject, List.copyOf(ingress), List.copyOf(egress),
                    r.hasIngress(), r.hasEgress(),
                    ddIn != null ? ddIn : r.hasIngress(),
                    ddEg != null ? ddEg : r.hasEgress()));
        }
        return out;
    }

    /** A CNP's subject always gets its namespace; a user's own namespace requirement is overwritten. */
    private static Selector subject(EndpointSelector es, String ns) {
        Selector s = Selector.from(es);
        if (ns == null) {
            return s;
        }
        List<Requirement> reqs = new ArrayList<>();
        for (Requirement r : s.requirements()) {
            if (!r.key().equals(NAMESPACE_LABEL)) {
                reqs.add(r);
            }
        }
        reqs.add(Requirement.equal(Label.SOURCE_K8S, NAMESPACE_LABEL, ns));
        return new Selector(reqs);
    }

    /**
     * Adds one allow/deny entry. {@code peers} null = no peer field written: every peer, but only if
     * ports or ICMP types are given ({@code ingress: [{}]} adds nothing). An empty peer list selects
     * nothing. No {@code toPorts} (or {@code toPorts: []}) = L3-only; a {@code toPorts} item with empty
     * {@code ports} adds nothing.
     */
    private static void add(List<PeerRule> out, boolean deny, List<Selector> peers, List<PortSelection> ports,
                            boolean toPortsGiven, List<ICMPRule> icmps) {
        boolean icmpGiven = icmps != null && !icmps.isEmpty();
        if (peers == null) {
            if (!toPortsGiven && !icmpGiven) {
                return;
            }
            peers = List.of(Selector.WILDCARD);
        }
        if (peers.isEmpty()) {
            return;
        }
        List<PortSelection> all = new ArrayList<>();
        if (!toPortsGiven && !icmpGiven) {
            all.add(new PortSelection(Protocol.ANY, new PortSpec.Numeric(0), 0, L7RuleSet.NONE));
        } else {
            all.addAll(ports);
            all.addAll(icmpPorts(icmps));
        }
        if (!all.isEmpty()) {
            out.add(new PeerRule(deny, List.copyOf(peers), List.copyOf(all)));
        }
    }

    /**
     * Whether {@code toPorts} suppresses the L3-only entry: Cilium tests {@code toPorts.Len() == 0}
     * ({@code rule.go mergeIngress/mergeEgress}), so {@code toPorts: []} is L3-only like an absent
     * {@code toPorts}, while {@code toPorts: [{ports: []}]} adds nothing (§2.3). (Treating {@code []} as
     * "given" used to drop the L3-only allow or deny.)
     */
    private static boolean given(List<?> toPorts) {
        return toPorts != null && !toPorts.isEmpty();
    }

    private static List<PortSelection> allowPorts(List<PortRule> toPorts) {
        List<PortSelection> out = new ArrayList<>();
        for (PortRule pr : nullSafe(toPorts)) {
            L7RuleSet l7 = l7(pr.rules());
            for (PortProtocol pp : nullSafe(pr.ports())) {
                expand(out, pp, l7);
            }
        }
        return out;
    }

    private static List<PortSelection> denyPorts(List<PortDenyRule> toPorts) {
        List<PortSelection> out = new ArrayList<>();
        for (PortDenyRule pr : nullSafe(toPorts)) {
            for (PortProtocol pp : nullSafe(pr.ports())) {
                expand(out, pp, L7RuleSet.NONE);
            }
        }
        return out;
    }

    /** {@code ANY} with a port means TCP, UDP and SCTP (§3.1). */
    private static void expand(List<PortSelection> out, PortProtocol pp, L7RuleSet l7) {
        Protocol proto = Protocol.parse(pp.protocol());
        PortSpec port = PortSpec.parse(pp.port() == null || pp.port().isEmpty() ? "0" : pp.port());
        int end = pp.endPort() == null ? 0 : pp.endPort();
        for (Protocol p : proto == Protocol.ANY ? Protocol.PORT_PROTOCOLS : List.of(proto)) {
            out.add(new PortSelection(p, port, end, l7));
        }
    }

    private static L7RuleSet l7(L7Rules rules) {
        if (rules == null) {
            return L7RuleSet.NONE;
        }
        if (rules.http() != null && !rules.http().isEmpty()) {
            return L7RuleSet.http(rules.http());
        }
        if (rules.kafka() != null && !rules.kafka().isEmpty()) {
            return L7RuleSet.kafka(rules.kafka());
        }
        if (rules.dns() != null && !rules.dns().isEmpty()) {
            return L7RuleSet.dns(rules.dns());
        }
        if (rules.l7proto() != null && !rules.l7proto().isEmpty()) {
            // Redirected to the named proxylib parser even with no rules; treating it as L4-only would
            // silently allow what the parser enforces, and hide conflicts with other parsers (l4_filter_test 5B+).
            return L7RuleSet.generic(rules.l7proto(), rules.l7() == null ? List.of() : rules.l7());
        }
        return L7RuleSet.NONE;
    }

    private static List<PortSelection> icmpPorts(List<ICMPRule> icmps) {
        List<PortSelection> out = new ArrayList<>();
        for (ICMPRule r : nullSafe(icmps)) {
            for (ICMPField f : nullSafe(r.fields())) {
                boolean v6 = "IPv6".equals(f.family());
                Integer type = ICMPTypes.codeOf(f.family(), f.type());
                if (type != null) {
                    out.add(new PortSelection(v6 ? Protocol.ICMPV6 : Protocol.ICMP, new PortSpec.Numeric(type), 0, L7RuleSet.NONE));
                }
            }
        }
        return out;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** Peer selectors of one rule, with the namespace/cluster rewriting of §1.6. */
    private final class Peers {
        private final String ns;
        private final boolean initSubject;

        Peers(String ns, boolean initSubject) {
            this.ns = ns;
            this.initSubject = initSubject;
        }

        List<Selector> ingress(List<EndpointSelector> endpoints, List<String> cidrs, List<CIDRRule> cidrSets,
                               List<String> entities, List<?> groups, List<EndpointSelector> nodes) {
            return union(endpoints(endpoints), cidrs(cidrs), cidrSets(cidrSets), entities(entities),
                    nothing(groups), nothing(nodes));
        }

        List<Selector> egress(List<EndpointSelector> endpoints, List<String> cidrs, List<CIDRRule> cidrSets,
                              List<String> entities, List<?> services, List<?> groups,
                              List<EndpointSelector> nodes, List<FQDNSelector> fqdns) {
            return union(endpoints(endpoints), cidrs(cidrs), cidrSets(cidrSets), entities(entities),
                    nothing(services), nothing(groups), nothing(nodes), fqdns(fqdns));
        }

        /** Null when no field was written; otherwise every selector of every written field. */
        @SafeVarargs
        private static List<Selector> union(List<Selector>... parts) {
            List<Selector> all = null;
            for (List<Selector> p : parts) {
                if (p != null) {
                    if (all == null) {
                        all = new ArrayList<>();
                    }
                    all.addAll(p);
                }
            }
            return all;
        }

        private List<Selector> endpoints(List<EndpointSelector> list) {
            if (list == null) {
                return null;
            }
            List<Selector> out = new ArrayList<>();
            for (EndpointSelector es : list) {
                out.add(peerSelector(Selector.from(es)));
            }
            return out;
        }

        /** §1.6 getEndpointSelector: reserved selectors stay; others get a namespace (and cluster). */
        private Selector peerSelector(Selector s) {
            if (s.hasSource(Label.SOURCE_RESERVED)) {
                return s;
            }
            if (!s.hasKey(Label.SOURCE_K8S, NAMESPACE_LABEL)) {
                if (ns != null) {
                    if (!s.hasKeyPrefix(NAMESPACE_LABELS_PREFIX)) {
                        s = s.and(Requirement.equal(Label.SOURCE_K8S, NAMESPACE_LABEL, ns));
                    }
                } else if (!initSubject) {
                    s = s.and(Requirement.exists(Label.SOURCE_K8S, NAMESPACE_LABEL));
                }
            }
            if (config.scopePeersToCluster() && !s.hasKey(Label.SOURCE_K8S, EndpointLabels.CLUSTER_LABEL)) {
                s = s.and(Requirement.equal(Label.SOURCE_K8S, EndpointLabels.CLUSTER_LABEL, config.clusterName()));
            }
            return s;
        }

        private List<Selector> cidrs(List<String> list) {
            if (list == null) {
                return null;
            }
            List<Selector> out = new ArrayList<>();
            for (String c : list) {
                out.addAll(cidrSelector(c, List.of()));
            }
            return out;
        }

        private List<Selector> cidrSets(List<CIDRRule> list) {
            if (list == null) {
                return null;
            }
            List<Selector> out = new ArrayList<>();
            for (CIDRRule r : list) {
                if (r.cidr() != null) {
                    out.addAll(cidrSelector(r.cidr(), r.except() == null ? List.of() : r.except()));
                } else if (r.cidrGroupRef() != null) {
                    out.add(Selector.of(Requirement.exists(Label.SOURCE_CIDR_GROUP,
                            "io.cilium.policy.cidrgroupname/" + r.cidrGroupRef())));
                }
                // cidrGroupSelector needs CiliumCIDRGroup objects, which Portcullis does not watch yet.
            }
            return out;
        }

        /**
         * {@code Exists cidr:<prefix>} plus {@code DoesNotExist cidr:<except>}. A /0 prefix is the world label
         * (§2.5, {@code IPStringToLabel}), with or without excepts: {@code 0.0.0.0/0 except X} is "world minus X",
         * so it selects the world identity itself and, as the world label is family-less on a single-stack
         * node, every CIDR identity outside X. (With excepts it used to become {@code Exists cidr:0.0.0.0/0},
         * which missed the world identity.)
         */
        private List<Selector> cidrSelector(String cidr, List<String> except) {
            IpPrefix prefix = IpPrefix.parse(cidr);
            // A /0 is the world label even with excepts (CIDRRuleSlice.GetAsEndpointSelectors):
            // "cidr:0.0.0.0/0" would miss the world identity, which carries no cidr label.
            List<Selector> base = prefix.bits() == 0
                    ? Entities.selectors("world", config.clusterName())
                    : List.of(Selector.of(Requirement.exists(Label.SOURCE_CIDR, CidrLabels.key(prefix))));
            List<Selector> out = new ArrayList<>();
            for (Selector s : base) {
                for (String e : except) {
                    s = s.and(Requirement.doesNotExist(Label.SOURCE_CIDR, CidrLabels.key(IpPrefix.parse(e))));
                }
                out.add(s);
            }
            return out;
        }

        private List<Selector> entities(List<String> list) {
            if (list == null) {
                return null;
            }
            List<Selector> out = new ArrayList<>();
            for (String e : list) {
                List<Selector> s = Entities.selectors(e, config.clusterName());
                if (s != null) {
                    out.addAll(s);
                }
            }
            return out;
        }

        private List<Selector> fqdns(List<FQDNSelector> list) {
            if (list == null) {
                return null;
            }
            List<Selector> out = new ArrayList<>();
            for (FQDNSelector f : list) {
                out.add(Selector.of(Requirement.exists(Label.SOURCE_FQDN, FqdnLabels.key(f))));
            }
            return out;
        }

        /** Peer kinds we accept but cannot resolve yet select nothing: never a silent allow. */
        private static List<Selector> nothing(List<?> list) {
            return list == null ? null : List.of();
        }
    }
}
