package io.portcullis.policy.l7.kafka;

import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.l7.L7Matcher;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * One compiled {@link PortRuleKafka} (cilium/proxy {@code kafkalib.Rule}). A request passes the rule's
 * header checks when its API key is in the rule's set (empty = any), its version equals the rule's
 * (unset = any) and its client id equals the rule's (empty = any). The rule's {@code topic} applies
 * only to keys that carry topics ({@link KafkaApiKey#carriesTopics(int)}).
 *
 * <p>Topic matching across several rules is done by {@link KafkaRules}; {@link #matches} judges this
 * rule alone: every topic of the request must be the rule's topic.
 */
public final class KafkaRuleMatcher implements L7Matcher<KafkaRequest> {

    /** {@link #apiVersion()} of a rule that allows every version. */
    public static final int ANY_VERSION = -1;

    private final Set<Integer> apiKeys;
    private final int apiVersion;
    private final String clientId;
    private final String topic;

    private KafkaRuleMatcher(Set<Integer> apiKeys, int apiVersion, String clientId, String topic) {
        this.apiKeys = Set.copyOf(apiKeys);
        this.apiVersion = apiVersion;
        this.clientId = clientId == null ? "" : clientId;
        this.topic = topic == null ? "" : topic;
    }

    /** From already-resolved values, like cilium/proxy {@code NewRule}; version &lt; 0 means any. */
    public static KafkaRuleMatcher of(int apiVersion, Collection<Integer> apiKeys, String clientId, String topic) {
        return new KafkaRuleMatcher(apiKeys == null ? Set.of() : Set.copyOf(apiKeys),
                apiVersion < 0 ? ANY_VERSION : apiVersion, clientId, topic);
    }

    /** Compiles a validated rule with Cilium's role expansion. */
    public static KafkaRuleMatcher compile(PortRuleKafka rule) {
        return compile(rule, RoleExpansion.CILIUM);
    }

    /**
     * Compiles a validated rule.
     *
     * @throws IllegalArgumentException for what validation rejects: both role and apiKey, an unknown
     *     role or key name, an apiVersion that is not a decimal in 0..32767
     */
    public static KafkaRuleMatcher compile(PortRuleKafka rule, RoleExpansion expansion) {
        return new KafkaRuleMatcher(apiKeys(rule, expansion), apiVersion(rule.apiVersion()), rule.clientID(), rule.topic());
    }

    private static Set<Integer> apiKeys(PortRuleKafka rule, RoleExpansion expansion) {
        boolean hasRole = hasText(rule.role());
        boolean hasKey = hasText(rule.apiKey());
        if (hasRole && hasKey) {
            throw new IllegalArgumentException(
                    "cannot set both Role \"" + rule.role() + "\" and APIKey \"" + rule.apiKey() + "\" together");
        }
        if (hasRole) {
            return KafkaRole.parse(rule.role())
                    .orElseThrow(() -> new IllegalArgumentException("invalid Kafka Role \"" + rule.role() + "\""))
                    .apiKeys(expansion);
        }
        if (hasKey) {
            Integer id = KafkaApiKey.idOf(rule.apiKey());
            if (id == null) {
                throw new IllegalArgumentException("invalid Kafka APIKey \"" + rule.apiKey() + "\"");
            }
            return Set.of(id);
        }
        return Set.of();
    }

    private static int apiVersion(String text) {
        if (!hasText(text)) {
            return ANY_VERSION;
        }
        try {
            int v = Integer.parseInt(text, 10);
            if (v >= 0 && v <= Short.MAX_VALUE) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid Kafka APIVersion \"" + text + "\"");
    }

    /** API key, version and client id checks (everything but the topic). */
    public boolean matchesHeader(KafkaRequest request) {
        return (apiKeys.isEmpty() || apiKeys.contains(request.apiKey()))
                && (apiVersion == ANY_VERSION || apiVersion == request.apiVersion())
                && (clientId.isEmpty() || clientId.equals(request.clientId()));
    }

    /** True when this rule's topic constrains the request: the rule has a topic and the key carries topics. */
    public boolean constrainsTopicsOf(KafkaRequest request) {
        return !topic.isEmpty() && request.carriesTopics();
    }

    /** This rule alone: header checks pass and, if the topic applies, the request names only that topic. */
    @Override
    public boolean matches(KafkaRequest request) {
        if (!matchesHeader(request)) {
            return false;
        }
        if (!constrainsTopicsOf(request)) {
            return true;
        }
        return !request.topics().isEmpty() && request.topics().stream().allMatch(topic::equals);
    }

    /** The allowed API keys; empty means every key. */
    public Set<Integer> apiKeys() {
        return apiKeys;
    }

    /** The allowed version, or {@link #ANY_VERSION}. */
    public int apiVersion() {
        return apiVersion;
    }

    /** The allowed client id; empty means any. */
    public String clientId() {
        return clientId;
    }

    /** The rule's topic, if it has one. */
    public Optional<String> topic() {
        return topic.isEmpty() ? Optional.empty() : Optional.of(topic);
    }

    String topicOrEmpty() {
        return topic;
    }

    private static boolean hasText(String s) {
        return s != null && !s.isEmpty();
    }

    @Override
    public String toString() {
        return "KafkaRuleMatcher[apiKeys=" + apiKeys + ", apiVersion=" + apiVersion + ", clientId=" + clientId
                + ", topic=" + topic + "]";
    }
}
