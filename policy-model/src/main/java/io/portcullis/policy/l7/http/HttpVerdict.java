package io.portcullis.policy.l7.http;

import java.util.List;

/**
 * Result of a port's HTTP rules on one request.
 *
 * @param allowed whether some rule matched (or there were no rules)
 * @param matchingRules indexes of the rules that matched, in list order; empty when there are no rules
 * @param mismatches header mismatches of every matching rule, to log or apply before forwarding
 */
public record HttpVerdict(boolean allowed, List<Integer> matchingRules, List<HeaderMismatch> mismatches) {

    static final HttpVerdict DENIED = new HttpVerdict(false, List.of(), List.of());
    static final HttpVerdict ALLOWED_WITHOUT_RULES = new HttpVerdict(true, List.of(), List.of());

    public HttpVerdict {
        matchingRules = List.copyOf(matchingRules);
        mismatches = List.copyOf(mismatches);
    }
}
