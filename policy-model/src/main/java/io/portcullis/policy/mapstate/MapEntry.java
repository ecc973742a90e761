package io.portcullis.policy.mapstate;

import java.util.Set;
import java.util.TreeSet;

/**
 * A policy map entry: deny, allow, or allow with a redirect to an L7 proxy. {@code derivedFrom} names
 * the policies that produced it, so verdicts can say which policies decided. Deny entries never
 * carry a redirect (Cilium normalises them).
 */
public record MapEntry(boolean deny, ProxyParser parser, Set<String> derivedFrom) {

    public MapEntry {
        parser = deny || parser == null ? ProxyParser.NONE : parser;
        derivedFrom = Set.copyOf(derivedFrom == null ? Set.of() : derivedFrom);
    }

    public static MapEntry allow(String... from) {
        return new MapEntry(false, ProxyParser.NONE, Set.of(from));
    }

    public static MapEntry deny(String... from) {
        return new MapEntry(true, ProxyParser.NONE, Set.of(from));
    }

    public static MapEntry redirect(ProxyParser parser, String... from) {
        return new MapEntry(false, parser, Set.of(from));
    }

    public boolean isRedirect() {
        return parser != ProxyParser.NONE;
    }

    public int proxyPriority() {
        return parser.mapPriority();
    }

    /** Same verdict and redirect, whatever the provenance. */
    public boolean sameVerdict(MapEntry o) {
        return deny == o.deny && parser == o.parser;
    }

    public MapEntry mergeDerivedFrom(Set<String> more) {
        if (more.isEmpty() || derivedFrom.containsAll(more)) {
            return this;
        }
        Set<String> all = new TreeSet<>(derivedFrom);
        all.addAll(more);
        return new MapEntry(deny, parser, all);
    }

    @Override
    public String toString() {
        return (deny ? "deny" : isRedirect() ? "redirect:" + parser.lower() : "allow") + new TreeSet<>(derivedFrom);
    }
}
