package io.portcullis.policy.l7.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Port of cilium/proxy {@code proxylib/kafka/kafkalib/policy_test.go} ({@code TestProduceRequest},
 * {@code TestUnknownRequest}). Rules are built like its {@code NewRule(apiVersion, apiKeys, clientID,
 * topic)}; the rule lists are the proxy-level lists of {@link KafkaRules#of}, where an empty list
 * allows nothing.
 */
class KafkalibPolicyTest {

    // TestProduceRequest: a ProduceReq (kind 0, version 0) from client "test" with topics foo and bar.
    private static final KafkaRequest PRODUCE_FOO_BAR = new KafkaRequest(0, 0, "test", List.of("foo", "bar"));

    static Stream<Arguments> produceRequest() {
        return Stream.of(
                Arguments.of("empty rules match nothing", List.of(), false),
                // Go's Rule{} has APIVersion 0, which the request's version 0 equals
                Arguments.of("wildcard rule matches everything", List.of(KafkaRuleMatcher.of(0, null, "", "")), true),
                Arguments.of("foo", List.of(topic("foo")), false),
                Arguments.of("foo, bar", List.of(topic("foo"), topic("bar")), true),
                Arguments.of("foo, baz", List.of(topic("foo"), topic("baz")), false),
                Arguments.of("baz, foo2", List.of(topic("baz"), topic("foo2")), false),
                Arguments.of("bar, foo", List.of(topic("bar"), topic("foo")), true),
                Arguments.of("bar, foo, baz", List.of(topic("bar"), topic("foo"), topic("baz")), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void produceRequest(String name, List<KafkaRuleMatcher> rules, boolean expected) {
        assertThat(KafkaRules.of(rules).matches(PRODUCE_FOO_BAR)).isEqualTo(expected);
    }

    @Test
    void unknownRequest() {
        KafkaRequest apiVersions = new KafkaRequest(18, 0, "", List.of());
        assertThat(KafkaRules.of(List.of()).matches(apiVersions)).isFalse();

        KafkaRuleMatcher rule1 = KafkaRuleMatcher.of(-1, Set.of(3), "", ""); // metadata
        KafkaRuleMatcher rule2 = KafkaRuleMatcher.of(-1, Set.of(18), "", ""); // apiversions
        assertThat(KafkaRules.of(List.of(rule1, rule2)).matches(apiVersions)).isTrue();

        KafkaRequest createTopics = new KafkaRequest(19, 0, "", List.of());
        assertThat(KafkaRules.of(List.of(rule1, rule2)).matches(createTopics)).isFalse();
    }

    private static KafkaRuleMatcher topic(String topic) {
        return KafkaRuleMatcher.of(-1, null, "", topic);
    }
}
