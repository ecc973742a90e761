package io.portcullis.policy.labels;

import java.util.Objects;

/**
 * A label {@code source:key=value}. The source says where a label comes from ({@code k8s},
 * {@code reserved}, {@code cidr}, {@code fqdn}, …); in selectors the source {@code any} matches a label
 * with the same key from any source.
 */
public record Label(String source, String key, String value) implements Comparable<Label> {

    public static final String SOURCE_ANY = "any";
    public static final String SOURCE_K8S = "k8s";
    public static final String SOURCE_RESERVED = "reserved";
    public static final String SOURCE_UNSPEC = "unspec";
    public static final String SOURCE_CIDR = "cidr";
    public static final String SOURCE_FQDN = "fqdn";
    public static final String SOURCE_CIDR_GROUP = "cidrgroup";
    /** {@code reserved.host} without a colon is read as {@code reserved:host}. */
    private static final String RESERVED_KEY_PREFIX = "reserved.";

    public Label {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
    }

    public static Label of(String source, String key, String value) {
        return new Label(source, key, value);
    }

    public static Label k8s(String key, String value) {
        return new Label(SOURCE_K8S, key, value);
    }

    public static Label reserved(String key) {
        return new Label(SOURCE_RESERVED, key, "");
    }

    /**
     * Parses {@code source:key=value} as Cilium's {@code ParseLabel} does ({@code pkg/labels}):
     * <ul>
     *   <li>the text before the <b>first</b> {@code :} is the source, even when an {@code =} comes
     *       earlier ({@code 4blah=:foo=} has source {@code 4blah=}); an empty source means
     *       {@code defaultSource};</li>
     *   <li>a leading {@code $}, or a {@code reserved.} prefix with no {@code :} at all, means
     *       {@code reserved};</li>
     *   <li>when the source's {@code :} is doubled, the key keeps both colons ({@code source::key1} has key
     *       {@code ::key1}), as Cilium's {@code TestParseLabel} table requires;</li>
     *   <li>the key ends at the first {@code =}; for {@code reserved:} with an empty key the value becomes
     *       the key ({@code reserved:=host}).</li>
     * </ul>
     */
    public static Label parse(String text, String defaultSource) {
        String source = "";
        String rest = text;
        if (rest.startsWith("$")) {
            source = SOURCE_RESERVED;
            rest = rest.substring(1);
        } else {
            int colon = rest.indexOf(':');
            if (colon < 0 && rest.startsWith(RESERVED_KEY_PREFIX)) {
                source = SOURCE_RESERVED;
                rest = rest.substring(RESERVED_KEY_PREFIX.length());
            } else if (colon >= 0) {
                source = rest.substring(0, colon);
                boolean doubled = !source.isEmpty() && colon + 1 < rest.length() && rest.charAt(colon + 1) == ':';
                rest = doubled ? rest.substring(colon) : rest.substring(colon + 1);
            }
        }
        if (source.isEmpty()) {
            source = defaultSource;
        }
        String key = rest;
        String value = "";
        int eq = rest.indexOf('=');
        if (eq >= 0) {
            key = rest.substring(0, eq);
            value = rest.substring(eq + 1);
        }
        if (SOURCE_RESERVED.equals(source) && key.isEmpty()) {
            key = value;
            value = "";
        }
        return new Label(source, key, value);
    }

    /**
     * Parses a selector label ({@code ParseSelectLabel}): like {@link #parse(String)}, but a label with no
     * source gets {@code any}, so it matches the key from every source.
     */
    public static Label parseSelect(String text) {
        Label l = parse(text, SOURCE_UNSPEC);
        return SOURCE_UNSPEC.equals(l.source()) ? new Label(SOURCE_ANY, l.key(), l.value()) : l;
    }

    /** Parses a label whose source defaults to {@code unspec}. */
    public static Label parse(String text) {
        return parse(text, SOURCE_UNSPEC);
    }

    /** {@code source:key} — the form used as a selector key. */
    public String sourceKey() {
        return source + ":" + key;
    }

    @Override
    public int compareTo(Label o) {
        int c = key.compareTo(o.key);
        if (c != 0) {
            return c;
        }
        c = source.compareTo(o.source);
        return c != 0 ? c : value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value.isEmpty() ? source + ":" + key : source + ":" + key + "=" + value;
    }
}
