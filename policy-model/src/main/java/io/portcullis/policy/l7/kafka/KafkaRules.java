package io.portcullis.policy.l7.kafka;

import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.l7.L7Matcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Kafka rules of one port for one peer selector, ORed as in cilium/proxy ({@code MatchesRule}
 * over {@code Rule.Matches}). Rules are tried in order with a per-request set of topics still to
 * allow: a rule whose header checks pass either allows the request outright (no topic constraint, or
 * a key without topics) or removes its topic from the set; the request is allowed once the set is
 * empty. So a multi-topic request needs every topic allowed by some rule.
 *
 * <p>Two factories, because an empty list means different things at the two levels:
 * {@link #compile} takes a port's {@code kafka} list, where null or empty is no L7 restriction and
 * allows everything; {@link #of} takes compiled rules exactly as the proxy holds them for a peer,
 * where an empty list allows nothing.
 */
public final class KafkaRules implements L7Matcher<KafkaRequest> {

    private static final KafkaRules ALLOW_ALL = new KafkaRules(List.of(), true);

    private final List<KafkaRuleMatcher> rules;
    private final boolean unrestricted;

    private KafkaRules(List<KafkaRuleMatcher> rules, boolean unrestricted) {
        this.rules = List.copyOf(rules);
        this.unrestricted = unrestricted;
    }

    /** A port's {@code kafka} list with Cilium's role expansion; null or empty allows all. */
    public static KafkaRules compile(List<PortRuleKafka> rules) {
        return compile(rules, RoleExpansion.CILIUM);
    }

    public static KafkaRules compile(List<PortRuleKafka> rules, RoleExpansion expansion) {
        if (rules == null || rules.isEmpty()) {
            return ALLOW_ALL;
        }
        List<KafkaRuleMatcher> compiled = new ArrayList<>(rules.size());
        for (PortRuleKafka r : rules) {
            compiled.add(KafkaRuleMatcher.compile(r, expansion));
        }
        return new KafkaRules(compiled, false);
    }

    /** Compiled rules as the proxy holds them; an empty list allows nothing. */
    public static KafkaRules of(List<KafkaRuleMatcher> rules) {
        return new KafkaRules(rules, false);
    }

    @Override
    public boolean matches(KafkaRequest request) {
        return evaluate(request).allowed();
    }

    public KafkaVerdict evaluate(KafkaRequest request) {
        if (unrestricted) {
            return KafkaVerdict.ALLOWED_WITHOUT_RULES;
        }
        Set<String> remaining = new LinkedHashSet<>(request.topics());
        List<Integer> allowing = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            KafkaRuleMatcher rule = rules.get(i);
            if (!rule.matchesHeader(request)) {
                continue;
            }
            if (!rule.constrainsTopicsOf(request)) {
                allowing.add(i);
                return new KafkaVerdict(true, allowing, Set.of());
            }
            if (remaining.remove(rule.topicOrEmpty())) {
                allowing.add(i);
                if (remaining.isEmpty()) {
                    return new KafkaVerdict(true, allowing, Set.of());
                }
            }
        }
        return new KafkaVerdict(false, List.of(), request.carriesTopics() ? remaining : Set.of());
    }

    /** True when every request is allowed: no restriction, or a rule that allows any key, version, client and topic. */
    public boolean allowsAll() {
        return unrestricted || rules.stream().anyMatch(r -> r.apiKeys().isEmpty()
                && r.apiVersion() == KafkaRuleMatcher.ANY_VERSION && r.clientId().isEmpty() && r.topic().isEmpty());
    }

    public List<KafkaRuleMatcher> rules() {
        return rules;
    }
}
