package io.portcullis.mesh.fqdn;

import io.portcullis.mesh.Versioned;
import java.util.List;

/**
 * The toFQDNs selectors an IP learned from DNS is selected by, on {@code portcullis.fqdn-selections}, key:
 * the IP in canonical text form. Written by fqdn-cache-service whenever the set changes; a tombstone when
 * no cached name of the IP matches any selector any more (expired, flushed, or the policy is gone).
 * identity-service turns it into a local-scope identity with one {@code fqdn:<selector>} label each.
 *
 * @param ip        the address, canonical text
 * @param selectors the {@code fqdn:} label keys: each selector's matchName or matchPattern as written,
 *                  lower case, sorted
 */
public record FqdnSelectionRecord(int schemaVersion, String ip, List<String> selectors) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public FqdnSelectionRecord {
        selectors = selectors == null ? List.of() : List.copyOf(selectors);
    }

    public static FqdnSelectionRecord of(String ip, List<String> selectors) {
        return new FqdnSelectionRecord(SCHEMA_VERSION, ip, selectors);
    }
}
