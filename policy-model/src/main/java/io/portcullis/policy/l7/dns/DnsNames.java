package io.portcullis.policy.l7.dns;

import java.util.Locale;

/** DNS name normalisation as Cilium's {@code dns.FQDN}: lower-case, with a trailing dot. */
public final class DnsNames {

    private DnsNames() {}

    /**
     * {@code name} lower-cased, with a final {@code .} added unless it already ends with one that is
     * not backslash-escaped. {@code ""} becomes the root {@code "."}, as in Cilium.
     */
    public static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return isFullyQualified(lower) ? lower : lower + ".";
    }

    /** True when {@code name} ends with a dot preceded by an even number of backslashes. */
    public static boolean isFullyQualified(String name) {
        if (!name.endsWith(".")) {
            return false;
        }
        int backslashes = 0;
        for (int i = name.length() - 2; i >= 0 && name.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 0;
    }
}
