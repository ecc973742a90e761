package io.portcullis.policy.api.validate;

import io.portcullis.policy.api.CIDRRule;
import io.portcullis.policy.api.EgressDenyRule;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.Groups;
import io.portcullis.policy.api.ICMPField;
import io.portcullis.policy.api.ICMPRule;
import io.portcullis.policy.api.ICMPTypes;
import io.portcullis.policy.api.IngressDenyRule;
import io.portcullis.policy.api.IngressRule;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.PortRule;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.api.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The semantic checks of one rule ({@code spec} or a {@code specs[]} item), in the order of Cilium's
 * {@code Rule.Validate}. Entities, ICMP families, authentication modes, rule labels and {@code log} are
 * structural ({@link StructuralConstraints}).
 */
final class RuleValidator {

    private final FieldErrors errors;
    private final SelectorValidator selectors;
    private final PortRuleValidator ports;
    private final FqdnValidator fqdn;

    RuleValidator(FieldErrors errors) {
        this.errors = errors;
        this.selectors = new SelectorValidator(errors);
        this.ports = new PortRuleValidator(errors);
        this.fqdn = new FqdnValidator(errors);
    }

    /**
     * The L3 peers of one rule, named as Cilium names them in its "combining X and Y" error; a kind the
     * rule type lacks is {@code null}.
     */
    private record Peers(
            String dir,
            List<EndpointSelector> endpoints,
            List<EndpointSelector> requires,
            List<String> cidr,
            List<CIDRRule> cidrSet,
            List<String> entities,
            List<Groups> groups,
            List<EndpointSelector> nodes,
            List<Service> services,
            List<FQDNSelector> fqdns) {

        static Peers of(IngressRule r) {
            return new Peers("from", r.fromEndpoints(), r.fromRequires(), r.fromCIDR(), r.fromCIDRSet(),
                    r.fromEntities(), r.fromGroups(), r.fromNodes(), null, null);
        }

        static Peers of(IngressDenyRule r) {
            return new Peers("from", r.fromEndpoints(), r.fromRequires(), r.fromCIDR(), r.fromCIDRSet(),
                    r.fromEntities(), r.fromGroups(), r.fromNodes(), null, null);
        }

        static Peers of(EgressRule r) {
            return new Peers("to", r.toEndpoints(), r.toRequires(), r.toCIDR(), r.toCIDRSet(), r.toEntities(),
                    r.toGroups(), r.toNodes(), r.toServices(), r.toFQDNs());
        }

        static Peers of(EgressDenyRule r) {
            return new Peers("to", r.toEndpoints(), r.toRequires(), r.toCIDR(), r.toCIDRSet(), r.toEntities(),
                    r.toGroups(), r.toNodes(), r.toServices(), null);
        }

        /** Field name with its direction prefix: {@code fromEndpoints}, {@code toCIDRSet}. */
        String field(String kind) {
            return dir + kind;
        }

        /** Kinds in Cilium's order, with whether each is non-empty. */
        Map<String, Boolean> kinds() {
            Map<String, Boolean> m = new LinkedHashMap<>();
            m.put("Endpoints", notEmpty(endpoints));
            m.put("CIDR", notEmpty(cidr));
            m.put("CIDRSet", notEmpty(cidrSet));
            m.put("Entities", notEmpty(entities));
            m.put("Services", notEmpty(services));
            m.put("Groups", notEmpty(groups));
            m.put("Nodes", notEmpty(nodes));
            m.put("FQDNs", notEmpty(fqdns));
            return m;
        }
    }

    void validate(Rule rule, FieldPath path, PolicyKind kind) {
        if (!rule.hasIngress() && !rule.hasEgress()) {
            errors.required(path, "rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny");
        }
        subject(rule, path, kind);
        boolean host = rule.nodeSelector() != null;
        Each.item(rule.ingress(), path.child("ingress"), (r, p) -> ingress(r, p, host));
        Each.item(rule.ingressDeny(), path.child("ingressDeny"), this::ingressDeny);
        Each.item(rule.egress(), path.child("egress"), (r, p) -> egress(r, p, host));
        Each.item(rule.egressDeny(), path.child("egressDeny"), this::egressDeny);
    }

    private void subject(Rule rule, FieldPath path, PolicyKind kind) {
        EndpointSelector es = rule.endpointSelector();
        EndpointSelector ns = rule.nodeSelector();
        if (es == null && ns == null) {
            errors.required(path, "rule must have one of EndpointSelector or NodeSelector");
        } else if (es != null && ns != null) {
            errors.invalid(path.child("nodeSelector"), "rule cannot have both EndpointSelector and NodeSelector");
        }
        if (ns != null && kind == PolicyKind.CNP) {
            errors.forbidden(path.child("nodeSelector"),
                    "rule cannot have NodeSelector: only a CiliumClusterwideNetworkPolicy may select nodes");
        }
        selectors.cilium(es, path.child("endpointSelector"));
        selectors.cilium(ns, path.child("nodeSelector"));
    }

    private void ingress(IngressRule r, FieldPath path, boolean host) {
        peers(Peers.of(r), path);
        if (host && r.toPorts() != null && r.toPorts().stream().anyMatch(pr -> l7Count(pr) > 0)) {
            errors.forbidden(path.child("toPorts"), "L7 policy is not supported on host ingress yet");
        }
        icmps(r.icmps(), r.toPorts(), path);
        Each.item(r.toPorts(), path.child("toPorts"), (pr, p) -> ports.allow(pr, p, true));
    }

    private void ingressDeny(IngressDenyRule r, FieldPath path) {
        peers(Peers.of(r), path);
        icmps(r.icmps(), r.toPorts(), path);
        Each.item(r.toPorts(), path.child("toPorts"), ports::deny);
    }

    private void egress(EgressRule r, FieldPath path, boolean host) {
        peers(Peers.of(r), path);
        if (host && r.toPorts() != null) {
            for (PortRule pr : r.toPorts()) {
                if (pr.rules() != null && (notEmpty(pr.rules().http()) || notEmpty(pr.rules().kafka()))) {
                    String proto = notEmpty(pr.rules().http()) ? "HTTP" : "Kafka";
                    errors.forbidden(path.child("toPorts"), "L7 protocol " + proto + " is not supported on host egress yet");
                    break;
                }
            }
        }
        icmps(r.icmps(), r.toPorts(), path);
        Each.item(r.toPorts(), path.child("toPorts"), (pr, p) -> ports.allow(pr, p, false));
        Each.item(r.toFQDNs(), path.child("toFQDNs"), fqdn::validate);
    }

    private void egressDeny(EgressDenyRule r, FieldPath path) {
        peers(Peers.of(r), path);
        icmps(r.icmps(), r.toPorts(), path);
        Each.item(r.toPorts(), path.child("toPorts"), ports::deny);
    }

    /** Cilium's {@code countL7Rules} for one port rule: HTTP, Kafka and DNS entries. */
    private static int l7Count(PortRule pr) {
        if (pr.rules() == null) {
            return 0;
        }
        return size(pr.rules().http()) + size(pr.rules().kafka()) + size(pr.rules().dns());
    }

    private void peers(Peers p, FieldPath path) {
        List<String> present = new ArrayList<>();
        p.kinds().forEach((kind, nonEmpty) -> {
            if (nonEmpty) {
                present.add(capitalize(p.field(kind)));
            }
        });
        if (present.size() > 1) {
            errors.invalid(path, "combining " + present.get(0) + " and " + present.get(1) + " is not supported yet");
        }
        if (notEmpty(p.requires())) {
            errors.forbidden(path.child(p.field("Requires")), p.field("Requires")
                    + " is not supported: it was deprecated in Cilium 1.17 and removed in 1.19");
        }
        if (notEmpty(p.nodes())) {
            errors.forbidden(path.child(p.field("Nodes")), "FromNodes/ToNodes rules can only be applied when the"
                    + " \"enable-node-selector-labels\" flag is set, and Portcullis runs without it");
        }
        selectors.ciliumAll(p.endpoints(), path.child(p.field("Endpoints")));
        Each.item(p.cidr(), path.child(p.field("CIDR")), this::cidr);
        Each.item(p.cidrSet(), path.child(p.field("CIDRSet")), this::cidrRule);
        Each.item(p.services(), path.child(p.field("Services")), this::service);
    }

    /**
     * {@code fromCIDR}/{@code toCIDR}: Cilium alone would also take a bare IP, but the CRD's
     * {@code format: cidr} makes the API server refuse one, so we do too.
     */
    private void cidr(String c, FieldPath path) {
        if (c.isEmpty()) {
            errors.required(path, "IP must be specified");
        } else if (IpPrefix.parse(c) == null) {
            errors.invalid(path, "unable to parse CIDR \"" + c + "\": must be an address/prefix-length such as 10.0.0.0/8");
        }
    }

    private void cidrRule(CIDRRule r, FieldPath path) {
        boolean hasCidr = r.cidr() != null && !r.cidr().isEmpty();
        boolean hasRef = r.cidrGroupRef() != null && !r.cidrGroupRef().isEmpty();
        boolean hasSelector = r.cidrGroupSelector() != null;
        int count = (hasCidr ? 1 : 0) + (hasRef ? 1 : 0) + (hasSelector ? 1 : 0);
        if (count == 0) {
            errors.required(path, "one of cidr, cidrGroupRef, or cidrGroupSelector is required");
        } else if (count > 1) {
            errors.invalid(path, "more than one of cidr, cidrGroupRef, or cidrGroupSelector may not be set");
        }
        if (hasSelector) {
            selectors.kubernetes(r.cidrGroupSelector(), path.child("cidrGroupSelector"));
        }
        IpPrefix prefix = null;
        if (hasCidr) {
            prefix = IpPrefix.parse(r.cidr());
            if (prefix == null) {
                errors.invalid(path.child("cidr"), "unable to parse CIDRRule \"" + r.cidr() + "\"");
            }
        }
        for (int i = 0; r.except() != null && i < r.except().size(); i++) {
            String ex = r.except().get(i);
            IpPrefix except = ex == null ? null : IpPrefix.parse(ex);
            FieldPath at = path.child("except").index(i);
            if (except == null) {
                errors.invalid(at, "unable to parse except CIDR \"" + ex + "\"");
            } else if (prefix != null && (except.isV4() != prefix.isV4()
                    || except.bits() < prefix.bits() || !prefix.contains(except.address()))) {
                errors.invalid(at, "allow CIDR prefix " + r.cidr() + " does not contain exclude CIDR prefix " + ex);
            }
        }
    }

    private void service(Service s, FieldPath path) {
        if (s.k8sServiceSelector() != null) {
            selectors.kubernetes(s.k8sServiceSelector().selector(), path.child("k8sServiceSelector").child("selector"));
        }
    }

    private void icmps(List<ICMPRule> icmps, List<?> toPorts, FieldPath path) {
        if (notEmpty(icmps) && notEmpty(toPorts)) {
            errors.forbidden(path.child("icmps"),
                    "The ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts.");
        }
        Each.item(icmps, path.child("icmps"), (rule, at) -> Each.item(rule.fields(), at.child("fields"), this::icmpType));
    }

    /** The type must exist in the field's family; a missing type or an unknown family is structural. */
    private void icmpType(ICMPField f, FieldPath path) {
        String family = f.family();
        boolean familyOk = family == null || family.isEmpty() || family.equals(ICMPTypes.IPV4)
                || family.equals(ICMPTypes.IPV6);
        if (f.type() != null && familyOk && ICMPTypes.codeOf(family, f.type()) == null) {
            errors.invalid(path.child("type"), "ICMP type " + f.type() + " not found in "
                    + (family == null || family.isEmpty() ? ICMPTypes.IPV4 : family)
                    + ": must be 0-255 or an ICMP type name such as EchoRequest");
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static int size(List<?> l) {
        return l == null ? 0 : l.size();
    }
}
