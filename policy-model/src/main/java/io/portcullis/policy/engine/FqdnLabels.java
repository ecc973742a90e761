package io.portcullis.policy.engine;

import io.portcullis.policy.api.FQDNSelector;
import java.util.Locale;

/** The {@code fqdn:} label key of a toFQDNs selector: the selector as written, lower-cased (§4.6). */
public final class FqdnLabels {

    private FqdnLabels() {}

    public static String key(FQDNSelector s) {
        return s.asWritten() == null ? "" : s.asWritten().toLowerCase(Locale.ROOT);
    }
}
