package io.portcullis.policy.engine;

import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.l7.dns.DnsNameMatcher;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.selector.Requirement;
import io.portcullis.policy.selector.Selector;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The {@code fqdn:} label key of a toFQDNs selector: the selector as written, lower-cased (§4.6). */
public final class FqdnLabels {

    private FqdnLabels() {}

    public static String key(FQDNSelector s) {
        return s.asWritten() == null ? "" : s.asWritten().toLowerCase(Locale.ROOT);
    }

    /** The toFQDNs selector keys among compiled peer selectors: their {@code fqdn:} requirements. */
    public static Set<String> keysIn(Collection<Selector> selectors) {
        Set<String> keys = new TreeSet<>();
        for (Selector s : selectors) {
            for (Requirement r : s.requirements()) {
                if (Label.SOURCE_FQDN.equals(r.source())) {
                    keys.add(r.key());
                }
            }
        }
        return keys;
    }

    /**
     * The names any of these keys select. A key is the selector as written; a {@code matchName} has no
     * {@code *}, so read as a {@code matchPattern} it selects exactly the same names.
     */
    public static DnsNameMatcher matcher(Collection<String> keys) {
        return DnsNameMatcher.anyOf(keys.stream().map(k -> new FQDNSelector(null, k)).toList());
    }
}
