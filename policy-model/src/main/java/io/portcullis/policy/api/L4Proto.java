package io.portcullis.policy.api;

import java.util.Locale;
import java.util.Set;

/**
 * The {@code protocol} of a port ({@code ParseL4Proto}): case-insensitive, absent or empty means
 * {@code ANY}. Cilium's extended protocols (VRRP, IGMP, …) need {@code --enable-extended-ip-protocols},
 * which Portcullis does not enable, so they are not supported.
 */
public final class L4Proto {

    public static final String TCP = "TCP";
    public static final String UDP = "UDP";
    public static final String SCTP = "SCTP";
    public static final String ANY = "ANY";

    private static final Set<String> SUPPORTED = Set.of(TCP, UDP, SCTP, ANY);

    private L4Proto() {}

    /** The upper-case protocol name, {@code ANY} for absent/empty, or {@code null} when unsupported. */
    public static String normalise(String protocol) {
        if (protocol == null || protocol.isEmpty()) {
            return ANY;
        }
        String upper = protocol.toUpperCase(Locale.ROOT);
        return SUPPORTED.contains(upper) ? upper : null;
    }
}
