package io.portcullis.policy.engine;

import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.mapstate.ProxyParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The L7 rules one selector has on one port: a parser and its rules (OR'ed). {@link #NONE} is "no L7
 * restriction". Merging follows §3.5: parsers must agree ({@code none} promotes to anything), rule
 * lists are concatenated without duplicates, and L4-only merged with L7 appends the parser's wildcard
 * rule, so the traffic stays redirected but every request passes.
 */
public record L7RuleSet(ProxyParser parser, List<PortRuleHTTP> http, List<PortRuleKafka> kafka, List<FQDNSelector> dns) {

    public static final L7RuleSet NONE = new L7RuleSet(ProxyParser.NONE, List.of(), List.of(), List.of());

    static final PortRuleHTTP HTTP_WILDCARD = new PortRuleHTTP(null, null, null, null, null);
    static final PortRuleKafka KAFKA_WILDCARD = new PortRuleKafka(null, null, null, null, null);
    static final FQDNSelector DNS_WILDCARD = new FQDNSelector(null, "*");

    public L7RuleSet {
        http = List.copyOf(http);
        kafka = List.copyOf(kafka);
        dns = List.copyOf(dns);
    }

    public static L7RuleSet http(List<PortRuleHTTP> rules) {
        return new L7RuleSet(ProxyParser.HTTP, rules, List.of(), List.of());
    }

    public static L7RuleSet kafka(List<PortRuleKafka> rules) {
        return new L7RuleSet(ProxyParser.KAFKA, List.of(), rules, List.of());
    }

    public static L7RuleSet dns(List<FQDNSelector> rules) {
        return new L7RuleSet(ProxyParser.DNS, List.of(), List.of(), rules);
    }

    public boolean isNone() {
        return parser == ProxyParser.NONE;
    }

    /** This rule set plus the parser's allow-everything rule (a no-op for {@link #NONE}). */
    public L7RuleSet withWildcard() {
        return switch (parser) {
            case HTTP -> new L7RuleSet(parser, union(http, List.of(HTTP_WILDCARD)), kafka, dns);
            case KAFKA -> new L7RuleSet(parser, http, union(kafka, List.of(KAFKA_WILDCARD)), dns);
            case DNS -> new L7RuleSet(parser, http, kafka, union(dns, List.of(DNS_WILDCARD)));
            default -> this;
        };
    }

    /** Merges two rule sets of one selector on one port; throws on conflicting parsers. */
    public L7RuleSet merge(L7RuleSet other) throws ConflictingL7ParsersException {
        if (isNone() && other.isNone()) {
            return this;
        }
        if (isNone()) {
            return other.withWildcard();
        }
        if (other.isNone()) {
            return withWildcard();
        }
        if (parser != other.parser) {
            throw new ConflictingL7ParsersException(parser, other.parser);
        }
        return new L7RuleSet(parser, union(http, other.http), union(kafka, other.kafka), union(dns, other.dns));
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        LinkedHashSet<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    /** Cilium: "cannot merge conflicting L7 parsers"; the whole subject's policy fails. */
    public static final class ConflictingL7ParsersException extends Exception {
        public ConflictingL7ParsersException(ProxyParser a, ProxyParser b) {
            super("cannot merge conflicting L7 parsers (" + a.lower() + "/" + b.lower() + ")");
        }
    }
}
