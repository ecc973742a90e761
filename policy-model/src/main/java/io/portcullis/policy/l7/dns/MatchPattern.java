package io.portcullis.policy.l7.dns;

import com.google.re2j.Pattern;
import io.portcullis.policy.api.FQDNSelector;
import java.util.Locale;

/**
 * {@code matchName}/{@code matchPattern} → RE2 regex, as Cilium 1.19+ {@code pkg/fqdn/matchpattern}
 * (CILIUM-SEMANTICS §4.1). The regexes are anchored and meant for normalised names ({@link
 * DnsNames#normalize}).
 *
 * <ul>
 *   <li>{@code .} → {@code [.]}.
 *   <li>A leading run of two or more {@code *} followed by {@code .} → {@link #SUBDOMAINS}: one or
 *       more whole labels. Only the leading run is special ({@code a.**.b} is {@code a.*.b}).
 *   <li>Every other run of {@code *} → {@code [-a-zA-Z0-9_]*}: label characters, never a dot.
 *   <li>A pattern of only stars with an optional final dot ({@code *}, {@code **}, {@code ***.}) is
 *       match-all: {@link #MATCH_ALL} accepts any well-formed FQDN and the root {@code .}.
 * </ul>
 *
 * <p>Validated patterns contain only {@code [-a-zA-Z0-9_.*]} and are rendered exactly as Cilium does.
 * Any other character (which validation rejects) is quoted as a literal rather than passed through
 * to the regex, so an unvalidated pattern can never inject regex syntax.
 */
public final class MatchPattern {

    /** One DNS label character. */
    public static final String LABEL_CHAR = "[-a-zA-Z0-9_]";

    /** Regex of a match-all pattern: any well-formed FQDN, or the root. */
    public static final String MATCH_ALL = "(^(" + LABEL_CHAR + "+[.])+$)|(^[.]$)";

    /** What a leading {@code **.} becomes: one or more whole labels, each followed by a dot. */
    public static final String SUBDOMAINS = "(" + LABEL_CHAR + "+([.]" + LABEL_CHAR + "+){0,})[.]";

    /** What any other run of {@code *} becomes: zero or more label characters. */
    public static final String LABEL_CHARS = LABEL_CHAR + "*";

    private MatchPattern() {}

    /** True for {@code *}, {@code **}, {@code ***.} …: only stars, optionally one final dot. */
    public static boolean isMatchAll(String pattern) {
        String p = pattern.strip();
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        return !p.isEmpty() && p.chars().allMatch(c -> c == '*');
    }

    /** Cilium's {@code Sanitize}: match-all patterns unchanged, others normalised as DNS names. */
    public static String sanitize(String pattern) {
        return isMatchAll(pattern) ? pattern : DnsNames.normalize(pattern);
    }

    /**
     * The anchored regex of a {@code matchPattern} as written (Cilium's {@code ToAnchoredRegexp}: trimmed
     * and lower-cased, but no trailing dot added; see {@link #selectorRegex} for what matching uses).
     */
    public static String toRegex(String pattern) {
        String p = pattern.strip().toLowerCase(Locale.ROOT);
        if (isMatchAll(p)) {
            return MATCH_ALL;
        }
        return "^" + patternBody(p) + "$";
    }

    /** The anchored regex of a {@code matchName}: the normalised name as an escaped literal. */
    public static String matchNameToRegex(String name) {
        String n = DnsNames.normalize(name.strip());
        StringBuilder b = new StringBuilder(n.length() * 3 + 2).append('^');
        for (int i = 0; i < n.length(); i++) {
            appendLiteral(b, n.charAt(i));
        }
        return b.append('$').toString();
    }

    /**
     * The regex a selector matches normalised names with: {@code matchName} as a literal, else the
     * sanitised {@code matchPattern}.
     *
     * @throws IllegalArgumentException if neither field is set
     */
    public static String selectorRegex(FQDNSelector selector) {
        if (hasText(selector.matchName())) {
            return matchNameToRegex(selector.matchName());
        }
        if (hasText(selector.matchPattern())) {
            return toRegex(sanitize(selector.matchPattern()));
        }
        throw new IllegalArgumentException("FQDN selector has neither matchName nor matchPattern");
    }

    /** True when the selector is a {@code matchPattern} that matches every name. */
    public static boolean isMatchAll(FQDNSelector selector) {
        return !hasText(selector.matchName()) && hasText(selector.matchPattern()) && isMatchAll(selector.matchPattern());
    }

    private static String patternBody(String p) {
        StringBuilder b = new StringBuilder(p.length() * 3 + SUBDOMAINS.length());
        int start = 0;
        int leadingStars = 0;
        while (leadingStars < p.length() && p.charAt(leadingStars) == '*') {
            leadingStars++;
        }
        if (leadingStars >= 2 && leadingStars < p.length() && p.charAt(leadingStars) == '.') {
            b.append(SUBDOMAINS);
            start = leadingStars + 1;
        }
        for (int i = start; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*') {
                while (i + 1 < p.length() && p.charAt(i + 1) == '*') {
                    i++;
                }
                b.append(LABEL_CHARS);
            } else {
                appendLiteral(b, c);
            }
        }
        return b.toString();
    }

    private static void appendLiteral(StringBuilder b, char c) {
        if (c == '.') {
            b.append("[.]");
        } else if (isPlainLabelChar(c)) {
            b.append(c);
        } else {
            b.append(Pattern.quote(String.valueOf(c)));
        }
    }

    private static boolean isPlainLabelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static boolean hasText(String s) {
        return s != null && !s.isEmpty();
    }
}
