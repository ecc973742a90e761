package io.portcullis.policy.l7.http;

/**
 * A {@code headerMatches} entry that did not match on a request the rule still allowed: the proxy logs
 * it and, unless the action is {@link MismatchAction#LOG}, applies the edit ({@code ADD}: add
 * {@code name: expectedValue}; {@code DELETE}: remove {@code name}; {@code REPLACE}: set
 * {@code name: expectedValue}).
 *
 * @param expectedValue the configured value, {@code ""} for a presence check
 * @param actualValue the request's value, null if the header was absent
 */
public record HeaderMismatch(String name, MismatchAction action, String expectedValue, String actualValue) {

    /** True when the proxy must change the request, not only log. */
    public boolean editsRequest() {
        return action != MismatchAction.LOG;
    }
}
