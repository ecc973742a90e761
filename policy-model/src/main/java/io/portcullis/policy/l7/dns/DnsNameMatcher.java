package io.portcullis.policy.l7.dns;

import com.google.re2j.Pattern;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.l7.L7Matcher;
import io.portcullis.policy.l7.Re2Cache;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The OR of a list of {@link FQDNSelector}s, compiled. {@link #matches} normalises the query name
 * ({@link DnsNames#normalize}) and then needs one selector's regex to match the whole name.
 *
 * <p>Two factories, because an empty list means opposite things in the two places selectors appear:
 *
 * <ul>
 *   <li>{@link #forDnsRules}: {@code rules.dns} of a port. A null or empty list means "no DNS
 *       restriction" and allows every name, and a match-all pattern ({@code *}, {@code **.} …)
 *       short-circuits to allow every name, even malformed ones (Cilium's DNS proxy
 *       {@code GeneratePattern} returns {@code (?:)} in both cases).
 *   <li>{@link #anyOf}: {@code toFQDNs} selectors. An empty list matches nothing, and a match-all
 *       pattern keeps its regex ({@link MatchPattern#MATCH_ALL}: well-formed names only).
 * </ul>
 */
public final class DnsNameMatcher implements L7Matcher<String> {

    private static final DnsNameMatcher ALLOW_ALL = new DnsNameMatcher(true, List.of(), List.of());
    private static final DnsNameMatcher NONE = new DnsNameMatcher(false, List.of(), List.of());

    private final boolean matchesAll;
    private final List<String> regexes;
    private final List<Pattern> patterns;

    private DnsNameMatcher(boolean matchesAll, List<String> regexes, List<Pattern> patterns) {
        this.matchesAll = matchesAll;
        this.regexes = regexes;
        this.patterns = patterns;
    }

    /** For {@code rules.dns}: null/empty or any match-all pattern allows every name. */
    public static DnsNameMatcher forDnsRules(List<FQDNSelector> rules) {
        if (rules == null || rules.isEmpty() || rules.stream().anyMatch(MatchPattern::isMatchAll)) {
            return ALLOW_ALL;
        }
        return compile(rules);
    }

    /** For {@code toFQDNs}: the OR of the selectors; null/empty matches nothing. */
    public static DnsNameMatcher anyOf(List<FQDNSelector> selectors) {
        if (selectors == null || selectors.isEmpty()) {
            return NONE;
        }
        return compile(selectors);
    }

    private static DnsNameMatcher compile(List<FQDNSelector> selectors) {
        Set<String> distinct = new LinkedHashSet<>();
        for (FQDNSelector s : selectors) {
            distinct.add(MatchPattern.selectorRegex(s));
        }
        List<Pattern> patterns = new ArrayList<>(distinct.size());
        for (String regex : distinct) {
            patterns.add(Re2Cache.compile(regex));
        }
        return new DnsNameMatcher(false, List.copyOf(distinct), List.copyOf(patterns));
    }

    /** True if the normalised {@code qname} is matched by some selector; a null name never is. */
    @Override
    public boolean matches(String qname) {
        if (matchesAll) {
            return true;
        }
        if (qname == null) {
            return false;
        }
        String name = DnsNames.normalize(qname);
        for (Pattern p : patterns) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** True when this matcher allows every name without looking at it. */
    public boolean matchesAll() {
        return matchesAll;
    }

    /** The distinct anchored regexes ORed, in selector order (empty when {@link #matchesAll()}). */
    public List<String> regexes() {
        return regexes;
    }

    @Override
    public String toString() {
        return matchesAll ? "DnsNameMatcher[all]" : "DnsNameMatcher" + regexes;
    }
}
