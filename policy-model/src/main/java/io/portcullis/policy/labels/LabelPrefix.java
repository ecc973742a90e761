package io.portcullis.policy.labels;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * One expression of the identity-relevant label configuration ({@code pkg/labelsfilter LabelPrefix}):
 * a regex that must match at the start of a label key, optionally limited to one source, and either an
 * include or an exclude ({@code !}). Written {@code [source:][!]regex}, e.g. {@code k8s:app},
 * {@code !io\.kubernetes}, {@code reserved:.*}.
 *
 * <p>Regexes use RE2 semantics (linear time, leftmost-first), like Go's {@code regexp}.
 */
public record LabelPrefix(String source, String regex, boolean exclude) {

    public LabelPrefix {
        source = source == null ? "" : source;
        Objects.requireNonNull(regex, "regex");
        if (regex.isEmpty()) {
            throw new IllegalArgumentException("invalid label source \"" + source + "\", prefix \"\"");
        }
    }

    /**
     * Parses {@code [source:][!]regex}. The text before the first {@code :} is the source (an empty
     * source matches every source).
     *
     * @throws IllegalArgumentException when the prefix is empty or the regex does not compile
     */
    public static LabelPrefix parse(String text) {
        String source = "";
        String rest = text;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            source = text.substring(0, colon);
            rest = text.substring(colon + 1);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("invalid label source \"" + source + "\", prefix \"\"");
        }
        boolean exclude = rest.charAt(0) == '!';
        String regex = exclude ? rest.substring(1) : rest;
        LabelPrefix p = new LabelPrefix(source, regex, exclude);
        p.compile(); // fail early on a bad regex
        return p;
    }

    /** The compiled regex; LabelFilter compiles each expression once. */
    Pattern compile() {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("unable to compile regexp \"" + regex + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return (exclude ? "!" : "") + source + ":" + regex;
    }
}
