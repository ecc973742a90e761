package io.portcullis.policy.engine;

import io.portcullis.policy.selector.CidrPrefix;

/** The key of a {@code cidr:} label: the canonical prefix, IPv6 colons written as dashes (§2.1). */
public final class CidrKeys {

    private CidrKeys() {}

    public static String key(String prefix) {
        CidrPrefix p = CidrPrefix.parse(prefix);
        String canonical = p == null ? prefix : p.toString();
        return canonical.replace(':', '-');
    }
}
