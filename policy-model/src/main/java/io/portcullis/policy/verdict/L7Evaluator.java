package io.portcullis.policy.verdict;

import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.engine.L4Filter;
import io.portcullis.policy.engine.L7RuleSet;
import io.portcullis.policy.engine.PerSelectorPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.l7.dns.DnsNameMatcher;
import io.portcullis.policy.l7.http.HttpRules;
import io.portcullis.policy.l7.kafka.KafkaApiKey;
import io.portcullis.policy.l7.kafka.KafkaRequest;
import io.portcullis.policy.l7.kafka.KafkaRules;
import io.portcullis.policy.mapstate.ProxyParser;
import io.portcullis.policy.selector.Selector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an L7 proxy decides for one request (§3.5 item 4): every per-selector policy on the covering
 * L4 filters whose selector selects the peer takes part; one with no L7 rules allows everything, and
 * otherwise the request must match some rule of the redirect's parser.
 */
final class L7Evaluator {

    private L7Evaluator() {}

    record Outcome(boolean allowed, Set<String> policies, String reason) {}

    static Outcome evaluate(List<L4Filter> filters, Identity peer, ProxyParser parser, L7Request request) {
        Set<String> considered = new TreeSet<>();
        for (L4Filter f : filters) {
            for (Map.Entry<Selector, PerSelectorPolicy> e : f.perSelector().entrySet()) {
                PerSelectorPolicy psp = e.getValue();
                if (psp.deny() || !(e.getKey().isWildcard() || e.getKey().matches(peer.labels()))) {
                    continue;
                }
                if (psp.l7().isNone()) {
                    return new Outcome(true, psp.derivedFrom(), "allowed: an L4 rule without L7 restrictions selects the peer");
                }
                considered.addAll(psp.derivedFrom());
                if (psp.l7().parser() == parser && matches(psp.l7(), request)) {
                    return new Outcome(true, psp.derivedFrom(), "allowed by " + parser.lower() + " rule");
                }
            }
        }
        return new Outcome(false, considered, "denied by the " + parser.lower() + " proxy: no " + parser.lower()
                + " rule matches " + describe(request));
    }

    private static boolean matches(L7RuleSet rules, L7Request request) {
        return switch (request) {
            case L7Request.Http h -> rules.parser() == ProxyParser.HTTP && http(rules.http()).matches(h.request());
            case L7Request.Kafka k -> rules.parser() == ProxyParser.KAFKA && kafkaMatches(rules, k);
            case L7Request.Dns d -> rules.parser() == ProxyParser.DNS && DnsNameMatcher.forDnsRules(rules.dns()).matches(d.qname());
        };
    }

    /** Compiled HTTP rules by rule list: a proxy asks the same lists for every request. Bounded by clearing. */
    private static final Map<List<PortRuleHTTP>, HttpRules> HTTP_RULES = new ConcurrentHashMap<>();
    static final int HTTP_RULES_MAX = 4096;

    static HttpRules http(List<PortRuleHTTP> rules) {
        HttpRules compiled = HTTP_RULES.get(rules);
        if (compiled == null) {
            if (HTTP_RULES.size() >= HTTP_RULES_MAX) {
                HTTP_RULES.clear();
            }
            compiled = HttpRules.compile(rules);
            HTTP_RULES.put(rules, compiled);
        }
        return compiled;
    }

    private static boolean kafkaMatches(L7RuleSet rules, L7Request.Kafka k) {
        Integer key = KafkaApiKey.idOf(k.apiKey());
        if (key == null) {
            return false;
        }
        KafkaRequest req = new KafkaRequest(key, k.apiVersion() == null ? 0 : k.apiVersion(), k.clientId(), k.topics());
        return kafka(rules.kafka()).matches(req);
    }

    /** Compiled Kafka rules by rule list, as for HTTP: the Kafka proxy asks the same lists for every request. */
    private static final Map<List<PortRuleKafka>, KafkaRules> KAFKA_RULES = new ConcurrentHashMap<>();

    static KafkaRules kafka(List<PortRuleKafka> rules) {
        KafkaRules compiled = KAFKA_RULES.get(rules);
        if (compiled == null) {
            if (KAFKA_RULES.size() >= HTTP_RULES_MAX) {
                KAFKA_RULES.clear();
            }
            compiled = KafkaRules.compile(rules);
            KAFKA_RULES.put(rules, compiled);
        }
        return compiled;
    }

    static String describe(L7Request request) {
        return switch (request) {
            case L7Request.Http h -> h.request().method() + " " + h.request().path();
            case L7Request.Kafka k -> "kafka " + k.apiKey() + (k.topics().isEmpty() ? "" : " " + k.topics());
            case L7Request.Dns d -> "dns " + d.qname();
        };
    }
}
