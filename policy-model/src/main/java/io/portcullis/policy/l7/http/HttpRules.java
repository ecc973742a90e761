package io.portcullis.policy.l7.http;

import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.l7.L7Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP rules of one port for one peer selector: a request is allowed if any rule matches. A null
 * or empty list ({@code http: []}) is no L7 restriction and allows every request.
 *
 * <p>As in cilium-envoy, evaluation stops at the first matching rule unless some rule has header
 * actions; then every rule is tried and the mismatches of all matching rules are reported, all against
 * the request as received.
 */
public final class HttpRules implements L7Matcher<HttpRequest> {

    private static final HttpRules ALLOW_ALL = new HttpRules(List.of());

    private final List<HttpRuleMatcher> rules;
    private final boolean anyHeaderActions;

    private HttpRules(List<HttpRuleMatcher> rules) {
        this.rules = List.copyOf(rules);
        this.anyHeaderActions = rules.stream().anyMatch(HttpRuleMatcher::hasHeaderActions);
    }

    /** Compiles a port's {@code http} list; null or empty allows all. */
    public static HttpRules compile(List<PortRuleHTTP> rules) {
        if (rules == null || rules.isEmpty()) {
            return ALLOW_ALL;
        }
        List<HttpRuleMatcher> compiled = new ArrayList<>(rules.size());
        for (PortRuleHTTP r : rules) {
            compiled.add(HttpRuleMatcher.compile(r));
        }
        return new HttpRules(compiled);
    }

    @Override
    public boolean matches(HttpRequest request) {
        return rules.isEmpty() || rules.stream().anyMatch(r -> r.matches(request));
    }

    public HttpVerdict evaluate(HttpRequest request) {
        if (rules.isEmpty()) {
            return HttpVerdict.ALLOWED_WITHOUT_RULES;
        }
        List<Integer> matching = new ArrayList<>();
        List<HeaderMismatch> mismatches = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            HttpMatch m = rules.get(i).evaluate(request);
            if (m.matched()) {
                matching.add(i);
                mismatches.addAll(m.mismatches());
                if (!anyHeaderActions) {
                    break;
                }
            }
        }
        return matching.isEmpty() ? HttpVerdict.DENIED : new HttpVerdict(true, matching, mismatches);
    }

    /** True when every request is allowed: no rules, or an empty rule {@code {}} among them. */
    public boolean allowsAll() {
        return rules.isEmpty() || rules.stream().anyMatch(HttpRuleMatcher::matchesEverything);
    }

    public int size() {
        return rules.size();
    }
}
