package io.portcullis.policy.l7.http;

import io.portcullis.policy.api.HeaderMatch;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.l7.L7Matcher;
import io.portcullis.policy.l7.Re2Cache;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled {@link PortRuleHTTP}. Every field given must hold:
 *
 * <ul>
 *   <li>{@code path}, {@code method}, {@code host}: RE2 regexes matched against the whole
 *       {@code :path} (query string included), {@code :method} (case-sensitive) and {@code :authority}.
 *   <li>{@code headers[]}: split on the first space; {@code "X-Key: v"} needs header {@code X-Key}
 *       (trailing colons trimmed) equal to {@code v} exactly, a string without a space only needs a
 *       header of that literal name.
 *   <li>{@code headerMatches[]}: exact value, or presence when no value. Without {@code mismatch} a
 *       mismatch fails the rule; with LOG/ADD/DELETE/REPLACE the rule still matches and the mismatch
 *       is reported ({@link HttpMatch#mismatches()}) for the proxy to log or apply.
 *   <li>Secrets: Portcullis reads no Kubernetes secrets yet, so a {@code headerMatches} entry with a
 *       {@code secret} behaves as Cilium's failed secret lookup: its {@code value} is used if it has
 *       one, otherwise the rule never matches.
 * </ul>
 *
 * An empty rule {@code {}} matches every request. Header values of a header sent several times are
 * joined with {@code ,} before comparison, as Envoy does.
 */
public final class HttpRuleMatcher implements L7Matcher<HttpRequest> {

    private final List<RequestCondition> conditions;
    private final List<HeaderMatchCheck> headerChecks;

    private HttpRuleMatcher(List<RequestCondition> conditions, List<HeaderMatchCheck> headerChecks) {
        this.conditions = List.copyOf(conditions);
        this.headerChecks = List.copyOf(headerChecks);
    }

    /**
     * Compiles a validated rule.
     *
     * @throws IllegalArgumentException if path, method or host is not a valid RE2 regex
     */
    public static HttpRuleMatcher compile(PortRuleHTTP rule) {
        List<RequestCondition> conditions = new ArrayList<>();
        List<HeaderMatchCheck> checks = new ArrayList<>();
        addRegex(conditions, ":path", rule.path());
        addRegex(conditions, ":method", rule.method());
        addRegex(conditions, ":authority", rule.host());
        if (rule.headers() != null) {
            for (String header : rule.headers()) {
                conditions.add(headerCondition(header));
            }
        }
        if (rule.headerMatches() != null) {
            for (HeaderMatch hm : rule.headerMatches()) {
                addHeaderMatch(conditions, checks, hm);
            }
        }
        return new HttpRuleMatcher(conditions, checks);
    }

    @Override
    public boolean matches(HttpRequest request) {
        return conditionsHold(request);
    }

    /** Whether the rule matches, with the header mismatches its LOG/ADD/DELETE/REPLACE entries report. */
    public HttpMatch evaluate(HttpRequest request) {
        if (!conditionsHold(request)) {
            return HttpMatch.NO_MATCH;
        }
        if (headerChecks.isEmpty()) {
            return HttpMatch.CLEAN_MATCH;
        }
        List<HeaderMismatch> mismatches = new ArrayList<>();
        for (HeaderMatchCheck check : headerChecks) {
            check.check(request).ifPresent(mismatches::add);
        }
        return new HttpMatch(true, mismatches);
    }

    /** True when the rule has {@code headerMatches} with an action, so matching may edit the request. */
    public boolean hasHeaderActions() {
        return !headerChecks.isEmpty();
    }

    /** True for the empty rule {@code {}}. */
    public boolean matchesEverything() {
        return conditions.isEmpty() && headerChecks.isEmpty();
    }

    private boolean conditionsHold(HttpRequest request) {
        for (RequestCondition c : conditions) {
            if (!c.test(request)) {
                return false;
            }
        }
        return true;
    }

    private static void addRegex(List<RequestCondition> conditions, String pseudoHeader, String regex) {
        if (regex != null && !regex.isEmpty()) {
            conditions.add(new RequestCondition.Regex(pseudoHeader, regex, Re2Cache.compile(regex)));
        }
    }

    private static RequestCondition headerCondition(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return new RequestCondition.HeaderPresent(header);
        }
        String name = trimTrailingColons(header.substring(0, space));
        return new RequestCondition.HeaderEquals(name, header.substring(space + 1));
    }

    private static void addHeaderMatch(List<RequestCondition> conditions, List<HeaderMatchCheck> checks, HeaderMatch hm) {
        MismatchAction action = MismatchAction.parse(hm.mismatch());
        String value = hm.value() == null ? "" : hm.value();
        if (hm.secret() != null && value.isEmpty()) {
            conditions.add(new RequestCondition.Never("secret " + hm.secret().namespace() + "/" + hm.secret().name()
                    + " for header " + hm.name() + " is not available"));
        } else if (action != MismatchAction.FAIL) {
            checks.add(new HeaderMatchCheck(hm.name(), value, action));
        } else if (value.isEmpty()) {
            conditions.add(new RequestCondition.HeaderPresent(hm.name()));
        } else {
            conditions.add(new RequestCondition.HeaderEquals(hm.name(), value));
        }
    }

    private static String trimTrailingColons(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ':') {
            end--;
        }
        return s.substring(0, end);
    }

    @Override
    public String toString() {
        return "HttpRuleMatcher" + conditions + (headerChecks.isEmpty() ? "" : headerChecks);
    }
}
