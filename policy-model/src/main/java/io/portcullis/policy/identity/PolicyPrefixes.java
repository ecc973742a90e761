package io.portcullis.policy.identity;

import io.portcullis.policy.api.CIDRRule;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.EgressDenyRule;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.IngressDenyRule;
import io.portcullis.policy.api.IngressRule;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.ip.IpPrefix;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The prefixes a policy selects by CIDR, each of which needs a local-scope CIDR identity
 * ({@link PrefixLabels#forPrefix}) and an ipcache entry so that addresses inside it carry its labels
 * (CILIUM-SEMANTICS §2.5; Cilium {@code policy.GetCIDRPrefixes} over {@code fromCIDR}, {@code fromCIDRSet},
 * {@code toCIDR}, {@code toCIDRSet}, allow and deny). The {@code except} prefixes of a CIDR set count too:
 * an address inside an except must map to an identity that carries the except's label, or the
 * {@code DoesNotExist} requirement of the selector could not exclude it.
 *
 * <p>Left out: {@code /0} (that is the reserved world identity, not a CIDR identity), CIDR group
 * references (no CiliumCIDRGroup objects are watched), and text that is no prefix (validation rejects it
 * before a policy is stored; here it is skipped so a bad record cannot stop a reader). Pure and stateless.
 */
public final class PolicyPrefixes {

    private PolicyPrefixes() {}

    /** The distinct prefixes, canonical (host bits cleared), in {@link IpPrefix} order. */
    public static SortedSet<IpPrefix> of(CiliumPolicy policy) {
        SortedSet<IpPrefix> out = new TreeSet<>();
        for (Rule r : policy.rules()) {
            for (IngressRule ir : nullSafe(r.ingress())) {
                add(out, ir.fromCIDR(), ir.fromCIDRSet());
            }
            for (IngressDenyRule ir : nullSafe(r.ingressDeny())) {
                add(out, ir.fromCIDR(), ir.fromCIDRSet());
            }
            for (EgressRule er : nullSafe(r.egress())) {
                add(out, er.toCIDR(), er.toCIDRSet());
            }
            for (EgressDenyRule er : nullSafe(r.egressDeny())) {
                add(out, er.toCIDR(), er.toCIDRSet());
            }
        }
        return Collections.unmodifiableSortedSet(out);
    }

    private static void add(SortedSet<IpPrefix> out, List<String> cidrs, List<CIDRRule> sets) {
        nullSafe(cidrs).forEach(c -> add(out, c));
        for (CIDRRule s : nullSafe(sets)) {
            if (s.cidr() != null) {
                add(out, s.cidr());
                nullSafe(s.except()).forEach(e -> add(out, e));
            }
        }
    }

    private static void add(SortedSet<IpPrefix> out, String text) {
        try {
            IpPrefix p = IpPrefix.parse(text.trim());
            if (p.bits() > 0) {
                out.add(p);
            }
        } catch (IllegalArgumentException | NullPointerException notAPrefix) {
            // validation rejects these before a policy is stored; nothing to allocate
        }
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
