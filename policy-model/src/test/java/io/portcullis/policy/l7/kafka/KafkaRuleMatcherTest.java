package io.portcullis.policy.l7.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.api.PortRuleKafka;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link KafkaRuleMatcher} against Cilium's {@code PortRule.GetAPIKeys}, {@code GetAPIVersion} and
 * {@code Sanitize} ({@code pkg/policy/api/kafka/kafka.go}) and {@code kafkalib.Rule.Matches}
 * (cilium/proxy), plus the opt-in {@link RoleExpansion#KAFKA_4}.
 */
class KafkaRuleMatcherTest {

    @ParameterizedTest(name = "role {0}")
    @CsvSource({"produce", "PRODUCE", "Produce"})
    void produceRoleExpansion(String role) {
        assertThat(compile(role, null, null, null, null).apiKeys()).containsExactlyInAnyOrder(0, 3, 18);
    }

    @ParameterizedTest(name = "role {0}")
    @CsvSource({"consume", "CONSUME", "Consume"})
    void consumeRoleExpansion(String role) {
        assertThat(compile(role, null, null, null, null).apiKeys())
                .containsExactlyInAnyOrder(1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 18);
    }

    @ParameterizedTest(name = "apiKey {0} -> {1}")
    @CsvSource({"fetch, 1", "FETCH, 1", "offsets, 2", "listoffsets, 2", "alterconfigs, 33", "describeproducers, 61"})
    void apiKeyIsOneKey(String apiKey, int id) {
        assertThat(compile(null, apiKey, null, null, null).apiKeys()).containsExactly(id);
    }

    @Test
    void neitherRoleNorApiKeyAllowsEveryKey() {
        KafkaRuleMatcher m = compile(null, null, null, null, null);
        assertThat(m.apiKeys()).isEmpty();
        assertThat(m.matches(new KafkaRequest(57, 3, "x", List.of()))).isTrue();
    }

    @ParameterizedTest(name = "apiVersion {0} -> {1}")
    @CsvSource(nullValues = "-", value = {"-, -1", "'', -1", "0, 0", "3, 3", "32767, 32767"})
    void apiVersionParsing(String text, int expected) {
        assertThat(compile(null, null, text, null, null).apiVersion()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/{1}/{2}")
    @CsvSource(nullValues = "-", value = {
        "produce, fetch, -", "producer, -, -", "-, nosuchkey, -", "-, -, -1", "-, -, x", "-, -, 32768", "-, -, 0x1"})
    void invalidRulesAreRejected(String role, String apiKey, String apiVersion) {
        assertThatThrownBy(() -> compile(role, apiKey, apiVersion, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "rule v{0} request v{1} -> {2}")
    @CsvSource(nullValues = "-", value = {"3, 3, true", "3, 4, false", "0, 0, true", "-, 9, true"})
    void apiVersionIsExact(String ruleVersion, int requestVersion, boolean expected) {
        KafkaRuleMatcher m = compile(null, "apiversions", ruleVersion, null, null);
        assertThat(m.matches(new KafkaRequest(18, requestVersion, "c", List.of()))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "rule {0} request {1} -> {2}")
    @CsvSource(nullValues = "-", value = {"a, a, true", "a, b, false", "a, A, false", "a, -, false", "-, b, true", "'', b, true"})
    void clientIdIsExact(String ruleClient, String requestClient, boolean expected) {
        KafkaRuleMatcher m = compile(null, null, null, ruleClient, null);
        assertThat(m.matches(new KafkaRequest(18, 0, requestClient, List.of()))).isEqualTo(expected);
    }

    @Test
    void topicIsIgnoredForKeysWithoutTopics() {
        KafkaRuleMatcher m = compile("consume", null, null, null, "t");
        assertThat(m.matches(new KafkaRequest(12, 0, "", List.of()))).isTrue(); // heartbeat
        assertThat(m.matches(new KafkaRequest(18, 0, "", List.of("ignored")))).isTrue(); // apiversions
        assertThat(m.matches(new KafkaRequest(1, 0, "", List.of("t")))).isTrue();
        assertThat(m.matches(new KafkaRequest(1, 0, "", List.of("u")))).isFalse();
    }

    @Test
    void aTopicKeyWithNoTopicsMeansAllTopicsAndATopicRuleDeniesIt() {
        KafkaRuleMatcher m = compile("produce", null, null, null, "t");
        assertThat(m.matches(new KafkaRequest(3, 0, "", List.of()))).isFalse();
        assertThat(KafkaRules.of(List.of(m)).matches(new KafkaRequest(3, 0, "", List.of()))).isFalse();
        assertThat(compile("produce", null, null, null, null).matches(new KafkaRequest(3, 0, "", List.of()))).isTrue();
    }

    @Test
    void aSingleRuleNeedsEveryTopicToBeItsTopic() {
        KafkaRuleMatcher m = compile(null, null, null, null, "t");
        assertThat(m.matches(KafkaRequest.of(0, "t", "t"))).isTrue();
        assertThat(m.matches(KafkaRequest.of(0, "t", "u"))).isFalse();
    }

    @Test
    void newerTopicKeysAreTopicRestricted() {
        KafkaRuleMatcher m = compile(null, null, null, null, "foo");
        assertThat(m.matches(KafkaRequest.of(47, "foo"))).isTrue(); // OffsetDelete
        assertThat(m.matches(KafkaRequest.of(47, "bar"))).isFalse();
        assertThat(m.matches(KafkaRequest.of(75, "bar"))).isFalse(); // DescribeTopicPartitions
        assertThat(m.matches(KafkaRequest.of(68, "bar"))).isTrue(); // ConsumerGroupHeartbeat: no topics
    }

    @Test
    void kafka4ExpansionIsOptInAndASuperset() {
        for (KafkaRole role : KafkaRole.values()) {
            assertThat(role.apiKeys(RoleExpansion.KAFKA_4)).containsAll(role.apiKeys());
            assertThat(role.apiKeys(RoleExpansion.CILIUM)).isEqualTo(role.apiKeys());
        }
        PortRuleKafka produce = new PortRuleKafka("produce", null, null, null, "t");
        assertThat(KafkaRuleMatcher.compile(produce).matches(KafkaRequest.of(22))).isFalse();
        assertThat(KafkaRuleMatcher.compile(produce, RoleExpansion.KAFKA_4).matches(KafkaRequest.of(22))).isTrue();
        assertThat(KafkaRole.CONSUME.apiKeys(RoleExpansion.KAFKA_4)).contains(68, 76, 78, 79).doesNotContain(69);
        assertThat(KafkaRole.PRODUCE.apiKeys(RoleExpansion.KAFKA_4)).isEqualTo(Set.of(0, 3, 18, 22, 71, 72));
    }

    private static KafkaRuleMatcher compile(String role, String apiKey, String apiVersion, String clientId, String topic) {
        return KafkaRuleMatcher.compile(new PortRuleKafka(role, apiKey, apiVersion, clientId, topic));
    }
}
