package io.portcullis.policy.labels;

import io.portcullis.policy.ip.IpPrefix;
import java.util.Optional;

/**
 * CIDR labels (CILIUM-SEMANTICS §2.1, §2.5; {@code pkg/labels/cidr.go}): a prefix becomes the label
 * {@code cidr:<address>/<bits>}, where an IPv6 address has its {@code :} replaced by {@code -} (selector
 * keys cannot hold colons) and a leading or trailing {@code -} gets a {@code 0} so the key never starts or
 * ends with a dash: {@code ::1/128} → {@code cidr:0--1/128}.
 *
 * <p><b>World label.</b> Every CIDR identity also carries the world label. Cilium picks it from the node's
 * address families: {@code reserved:world} on a single-stack node, {@code reserved:world-ipv4} or
 * {@code reserved:world-ipv6} (by the prefix's family) when both families are enabled. We model that with
 * one flag, {@code dualStack}, default {@code false}: Portcullis does not track node families, and the
 * {@code world} entity selects all three labels anyway (§2.4).
 *
 * <p>Immutable and thread-safe.
 */
public final class CidrLabels {

    public static final Label WORLD = Label.reserved("world");
    public static final Label WORLD_IPV4 = Label.reserved("world-ipv4");
    public static final Label WORLD_IPV6 = Label.reserved("world-ipv6");

    private static final CidrLabels SINGLE_STACK = new CidrLabels(false);
    private static final CidrLabels DUAL_STACK = new CidrLabels(true);

    private final boolean dualStack;

    private CidrLabels(boolean dualStack) {
        this.dualStack = dualStack;
    }

    /** Single stack: the world label is {@code reserved:world}. */
    public static CidrLabels defaults() {
        return SINGLE_STACK;
    }

    public static CidrLabels of(boolean dualStack) {
        return dualStack ? DUAL_STACK : SINGLE_STACK;
    }

    public boolean dualStack() {
        return dualStack;
    }

    /** The world label for a prefix of this family. */
    public Label worldLabel(boolean ipv6) {
        if (!dualStack) {
            return WORLD;
        }
        return ipv6 ? WORLD_IPV6 : WORLD_IPV4;
    }

    /**
     * The labels a CIDR selector's prefix gets ({@code GetCIDRLabels}): its own cidr label plus the
     * world label. {@code /0} is the world label alone.
     *
     * @param prefix an address or prefix; no {@code /} means the full length
     */
    public Labels labels(String prefix) {
        return labels(IpPrefix.parse(prefix));
    }

    public Labels labels(IpPrefix prefix) {
        Label world = worldLabel(prefix.ipv6());
        return prefix.bits() == 0 ? Labels.of(world) : Labels.of(label(prefix), world);
    }

    /** The {@code cidr:} label of an address or prefix (host bits cleared, {@code /0} included). */
    public static Label label(String prefix) {
        return label(IpPrefix.parse(prefix));
    }

    public static Label label(IpPrefix prefix) {
        return new Label(Label.SOURCE_CIDR, key(prefix), "");
    }

    /** The label key of a prefix: {@code 10.0.0.0/8}, {@code 2001-db8--0/32}. */
    public static String key(IpPrefix prefix) {
        String addr = prefix.address().toString();
        StringBuilder sb = new StringBuilder(addr.length() + 6);
        int last = addr.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = addr.charAt(i);
            if (c != ':') {
                sb.append(c);
            } else if (i == 0) {
                sb.append("0-");
            } else if (i == last) {
                sb.append("-0");
            } else {
                sb.append('-');
            }
        }
        return sb.append('/').append(prefix.bits()).toString();
    }

    /**
     * The prefix a cidr label stands for ({@code LabelToPrefix}). Accepts the dash form and, leniently,
     * a key written with colons.
     *
     * @throws IllegalArgumentException when the label is not a {@code cidr:} label with a valid prefix
     */
    public static IpPrefix prefix(Label label) {
        return prefixOf(label).orElseThrow(() -> new IllegalArgumentException("not a CIDR label: " + label));
    }

    /** The prefix of a cidr label, or empty for any other label or an unparsable key. */
    public static Optional<IpPrefix> prefixOf(Label label) {
        if (!Label.SOURCE_CIDR.equals(label.source()) || label.key().indexOf('/') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpPrefix.parse(label.key().replace('-', ':')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * CIDR-aware key match (Cilium {@code Label.HasKey} for two {@code cidr} labels): true when the
     * selector's prefix contains the identity label's prefix — same family, selector not longer. So the
     * selector {@code cidr:10.0.0.0/8} matches an identity holding {@code cidr:10.1.2.3/32}. False when
     * either label is not a parsable cidr label.
     */
    public static boolean contains(Label selectorCidrLabel, Label identityCidrLabel) {
        Optional<IpPrefix> sel = prefixOf(selectorCidrLabel);
        if (sel.isEmpty()) {
            return false;
        }
        Optional<IpPrefix> id = prefixOf(identityCidrLabel);
        return id.isPresent() && sel.get().contains(id.get());
    }

    /**
     * Selector key match as Cilium's {@code Label.HasKey}: the selector source {@code any} matches any
     * source, otherwise the sources must be equal; two {@code cidr} labels match CIDR-aware
     * ({@link #contains}); anything else matches on equal keys.
     */
    public static boolean hasKey(Label selectorLabel, Label identityLabel) {
        boolean anySource = Label.SOURCE_ANY.equals(selectorLabel.source());
        if (!anySource && !selectorLabel.source().equals(identityLabel.source())) {
            return false;
        }
        if (Label.SOURCE_CIDR.equals(selectorLabel.source()) && Label.SOURCE_CIDR.equals(identityLabel.source())) {
            Optional<IpPrefix> sel = prefixOf(selectorLabel);
            Optional<IpPrefix> id = prefixOf(identityLabel);
            if (sel.isPresent() && id.isPresent()) {
                return sel.get().contains(id.get());
            }
        }
        return selectorLabel.key().equals(identityLabel.key());
    }

    /** {@code reserved:world}, {@code reserved:world-ipv4} or {@code reserved:world-ipv6}. */
    public static boolean isWorldLabel(Label label) {
        return label.equals(WORLD) || label.equals(WORLD_IPV4) || label.equals(WORLD_IPV6);
    }
}
