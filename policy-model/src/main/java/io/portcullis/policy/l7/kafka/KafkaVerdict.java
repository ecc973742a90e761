package io.portcullis.policy.l7.kafka;

import java.util.List;
import java.util.Set;

/**
 * Result of a port's Kafka rules on one request.
 *
 * @param allowed whether the request may pass
 * @param allowingRules indexes of the rules that allowed it: each rule that matched some of its topics
 *     and the rule that completed the match (empty when there are no rules)
 * @param deniedTopics for a denied request of a topic-carrying key, its topics no rule allowed (what
 *     the proxy answers with per-topic authorization errors); empty otherwise
 */
public record KafkaVerdict(boolean allowed, List<Integer> allowingRules, Set<String> deniedTopics) {

    static final KafkaVerdict ALLOWED_WITHOUT_RULES = new KafkaVerdict(true, List.of(), Set.of());

    public KafkaVerdict {
        allowingRules = List.copyOf(allowingRules);
        deniedTopics = Set.copyOf(deniedTopics);
    }
}
