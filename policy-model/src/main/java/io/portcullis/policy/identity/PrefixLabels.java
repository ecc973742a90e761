package io.portcullis.policy.identity;

import io.portcullis.policy.ip.IpAddress;
import io.portcullis.policy.ip.IpPrefix;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The labels of the local identity behind an ipcache prefix (CILIUM-SEMANTICS §2.5, §4.6).
 *
 * <p><b>CIDR identities</b> carry the prefix's own {@code cidr:} label, the {@code cidr:} label of every
 * shorter prefix that encloses it (down to {@code /0}) and the world label — Cilium's {@code GetCIDRLabels}
 * up to v1.15. Newer Cilium only merges in the parents that are themselves in the ipcache
 * ({@code mergeParentLabels}); we add all of them instead, because selector matching is CIDR-aware
 * ({@link CidrLabels#contains}) so the extra labels select nothing new, and they make the identity's
 * labels independent of what else happens to be in the table: the same prefix always gets the same
 * identity, whatever order prefixes arrive in. {@code /0} is the world label alone.
 *
 * <p><b>FQDN IPs</b> carry one {@code fqdn:<matchName or matchPattern>} label per selector whose names
 * resolved to the IP, the IP's own {@code cidr:} label ({@code /32} or {@code /128}) and the world label.
 *
 * <p>Immutable and thread-safe.
 */
public final class PrefixLabels {

    private static final PrefixLabels DEFAULT = new PrefixLabels(CidrLabels.defaults());

    private final CidrLabels cidrLabels;

    public PrefixLabels(CidrLabels cidrLabels) {
        this.cidrLabels = Objects.requireNonNull(cidrLabels, "cidrLabels");
    }

    /** Single-stack world label. */
    public static PrefixLabels defaults() {
        return DEFAULT;
    }

    public Labels forPrefix(String prefix) {
        return forPrefix(IpPrefix.parse(prefix));
    }

    public Labels forPrefix(IpPrefix prefix) {
        List<Label> labels = new ArrayList<>(prefix.bits() + 2);
        labels.add(cidrLabels.worldLabel(prefix.ipv6()));
        if (prefix.bits() > 0) {
            for (int bits = prefix.bits(); bits >= 0; bits--) {
                labels.add(CidrLabels.label(prefix.truncate(bits)));
            }
        }
        return Labels.of(labels);
    }

    /**
     * Labels of an IP learned from DNS for the given FQDN selectors (their {@code matchName} or
     * {@code matchPattern} text as written in the policy).
     */
    public Labels forFqdnIp(String ip, Collection<String> selectors) {
        return forFqdnIp(IpAddress.parse(ip), selectors);
    }

    public Labels forFqdnIp(IpAddress ip, Collection<String> selectors) {
        List<Label> labels = new ArrayList<>(selectors.size() + 2);
        for (String selector : selectors) {
            labels.add(fqdnLabel(selector));
        }
        labels.add(CidrLabels.label(IpPrefix.host(ip)));
        labels.add(cidrLabels.worldLabel(ip.ipv6()));
        return Labels.of(labels);
    }

    /** {@code fqdn:<selector>}: the identity label of a toFQDNs selector ({@code FQDNSelector.IdentityLabel}). */
    public static Label fqdnLabel(String matchNameOrPattern) {
        return new Label(Label.SOURCE_FQDN, matchNameOrPattern, "");
    }
}
