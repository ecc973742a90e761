package io.portcullis.policy.api;

/** {@code toFQDNs[]} and {@code rules.dns[]} items: exactly one of {@code matchName}, {@code matchPattern}. */
public record FQDNSelector(String matchName, String matchPattern) {

    /** The text of the selector as written, used as its {@code fqdn:} identity label. */
    public String asWritten() {
        return matchName != null && !matchName.isEmpty() ? matchName : matchPattern;
    }
}
