package io.portcullis.policy.engine;

import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.mapstate.ProxyParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The L7 rules one selector has on one port: a parser and its rules (OR'ed). {@link #NONE} is "no L7
 * restriction". Merging follows §3.5: parsers must agree ({@code none} promotes to anything), rule
 * lists are concatenated without duplicates, and L4-only merged with L7 appends the parser's wildcard
 * rule, so the traffic stays redirected but every request passes.
 *
 * <p>Generic L7 ({@code l7proto} + {@code l7}, §3.4) has parser {@link ProxyParser#GENERIC}; as in
 * Cilium, where the parser type is the {@code l7proto} name, two different names do not merge.
 */
public record L7RuleSet(ProxyParser parser, List<PortRuleHTTP> http, List<PortRuleKafka> kafka, List<FQDNSelector> dns,
                        String l7proto, List<Map<String, String>> generic) {

    public static final L7RuleSet NONE = new L7RuleSet(ProxyParser.NONE, List.of(), List.of(), List.of());

    static final PortRuleHTTP HTTP_WILDCARD = new PortRuleHTTP(null, null, null, null, null);
    static final PortRuleKafka KAFKA_WILDCARD = new PortRuleKafka(null, null, null, null, null);
    static final FQDNSelector DNS_WILDCARD = new FQDNSelector(null, "*");

    public L7RuleSet {
        http = List.copyOf(http);
        kafka = List.copyOf(kafka);
        dns = List.copyOf(dns);
        generic = generic == null ? List.of() : generic.stream().map(Map::copyOf).toList();
        l7proto = parser == ProxyParser.GENERIC ? Objects.requireNonNull(l7proto) : null;
    }

    /** The HTTP/Kafka/DNS form, without generic L7. */
    public L7RuleSet(ProxyParser parser, List<PortRuleHTTP> http, List<PortRuleKafka> kafka, List<FQDNSelector> dns) {
        this(parser, http, kafka, dns, null, List.of());
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

    /** {@code l7proto: <name>} with its key/value rules (none given: only the redirect). */
    public static L7RuleSet generic(String l7proto, List<Map<String, String>> rules) {
        return new L7RuleSet(ProxyParser.GENERIC, List.of(), List.of(), List.of(), l7proto, rules);
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
            case GENERIC -> new L7RuleSet(parser, http, kafka, dns, l7proto, union(generic, List.of(Map.of())));
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
        if (parser != other.parser || !Objects.equals(l7proto, other.l7proto)) {
            throw new ConflictingL7ParsersException(name(), other.name());
        }
        return new L7RuleSet(parser, union(http, other.http), union(kafka, other.kafka), union(dns, other.dns),
                l7proto, union(generic, other.generic));
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        LinkedHashSet<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    /** The parser's name as Cilium's L7ParserType: the {@code l7proto} name for generic L7. */
    private String name() {
        return parser == ProxyParser.GENERIC ? l7proto : parser.lower();
    }

    /** Cilium: "cannot merge conflicting L7 parsers"; the whole subject's policy fails. */
    public static final class ConflictingL7ParsersException extends Exception {
        public ConflictingL7ParsersException(String a, String b) {
            super("cannot merge conflicting L7 parsers (" + a + "/" + b + ")");
        }
    }
}
