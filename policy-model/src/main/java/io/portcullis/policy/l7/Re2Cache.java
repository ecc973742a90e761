package io.portcullis.policy.l7;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled RE2 patterns shared by all matchers, keyed by the regex text.
 *
 * <p>Many rules (and many endpoints' copies of the same policy) carry the same regex, so each distinct
 * one is compiled once. The cache is a bounded LRU rather than weak: the keys are strings built per
 * compile, so weak keys would be collected at once; a bound caps memory under policy churn, and a
 * matcher holds its own {@link Pattern}s strongly, so eviction costs only a later recompilation.
 */
public final class Re2Cache {

    static final int MAX_ENTRIES = 4096;

    private static final Map<String, Pattern> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private Re2Cache() {}

    /**
     * The compiled pattern for {@code regex}; use {@link Pattern#matches(String)} for full-string match.
     *
     * @throws IllegalArgumentException if the regex is not valid RE2 syntax
     */
    public static Pattern compile(String regex) {
        synchronized (CACHE) {
            Pattern cached = CACHE.get(regex);
            if (cached != null) {
                return cached;
            }
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid RE2 regex " + quoted(regex) + ": " + e.getMessage(), e);
        }
        synchronized (CACHE) {
            Pattern raced = CACHE.putIfAbsent(regex, compiled);
            return raced != null ? raced : compiled;
        }
    }

    /** Number of cached patterns (for tests). */
    static int size() {
        synchronized (CACHE) {
            return CACHE.size();
        }
    }

    private static String quoted(String s) {
        return '"' + s + '"';
    }
}
