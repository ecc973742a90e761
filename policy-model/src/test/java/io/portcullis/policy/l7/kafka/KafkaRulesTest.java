package io.portcullis.policy.l7.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.PortRuleKafka;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaRules}: Cilium's OR of rules with the per-request set of topics still to allow
 * (cilium/proxy {@code Rule.Matches}, CILIUM-SEMANTICS §3.3), and what the verdict reports.
 */
class KafkaRulesTest {

    private static final KafkaRules FOO_BAR = KafkaRules.compile(List.of(topicRule("foo"), topicRule("bar")));

    @Test
    void everyTopicMustBeAllowedBySomeRule() {
        assertThat(FOO_BAR.evaluate(KafkaRequest.of(0, "foo", "bar")))
                .isEqualTo(new KafkaVerdict(true, List.of(0, 1), Set.of()));
        assertThat(FOO_BAR.evaluate(KafkaRequest.of(0, "bar"))).isEqualTo(new KafkaVerdict(true, List.of(1), Set.of()));
    }

    @Test
    void deniedRequestsReportTheTopicsNoRuleAllowed() {
        KafkaVerdict v = FOO_BAR.evaluate(KafkaRequest.of(0, "foo", "baz", "qux"));
        assertThat(v.allowed()).isFalse();
        assertThat(v.allowingRules()).isEmpty();
        assertThat(v.deniedTopics()).containsExactlyInAnyOrder("baz", "qux");
    }

    @Test
    void deniedKeyReportsAllItsTopics() {
        KafkaRules produceOnly = KafkaRules.compile(List.of(new PortRuleKafka("produce", null, null, null, "foo")));
        assertThat(produceOnly.evaluate(KafkaRequest.of(1, "foo")).deniedTopics()).containsExactly("foo");
        assertThat(produceOnly.evaluate(KafkaRequest.of(19)).deniedTopics()).isEmpty();
        assertThat(produceOnly.evaluate(KafkaRequest.of(29, "ignored")).deniedTopics()).isEmpty(); // describeacls carries none
    }

    @Test
    void aRuleWithoutTopicCompletesAPartialMatch() {
        KafkaRules rules = KafkaRules.compile(List.of(topicRule("foo"), new PortRuleKafka(null, "produce", null, null, null)));
        assertThat(rules.evaluate(KafkaRequest.of(0, "foo", "anything")))
                .isEqualTo(new KafkaVerdict(true, List.of(0, 1), Set.of()));
    }

    @Test
    void aTopicIsConsumedOnceSoDuplicateRulesDoNotHelp() {
        KafkaRules rules = KafkaRules.compile(List.of(topicRule("foo"), topicRule("foo")));
        assertThat(rules.matches(KafkaRequest.of(0, "foo", "bar"))).isFalse();
        assertThat(rules.matches(KafkaRequest.of(0, "foo", "foo"))).isTrue(); // topics are a set
    }

    @Test
    void topicsOnlyCountForRulesWhoseHeaderChecksPass() {
        KafkaRules rules = KafkaRules.compile(List.of(
                new PortRuleKafka(null, "fetch", null, null, "foo"), new PortRuleKafka(null, "produce", null, null, "bar")));
        assertThat(rules.matches(KafkaRequest.of(0, "foo", "bar"))).isFalse();
        assertThat(rules.matches(KafkaRequest.of(0, "bar"))).isTrue();
    }

    @Test
    void rulesDoNotLeakStateBetweenRequests() {
        KafkaRequest r = KafkaRequest.of(0, "foo", "bar");
        assertThat(FOO_BAR.matches(r)).isTrue();
        assertThat(FOO_BAR.matches(r)).isTrue();
        assertThat(r.topics()).containsExactly("foo", "bar");
    }

    @Test
    void noRulesAtPolicyLevelAllowAllButAnEmptyProxyListAllowsNothing() {
        assertThat(KafkaRules.compile(null).matches(KafkaRequest.of(0, "x"))).isTrue();
        assertThat(KafkaRules.compile(List.of()).allowsAll()).isTrue();
        assertThat(KafkaRules.of(List.of()).matches(KafkaRequest.of(18))).isFalse();
        assertThat(KafkaRules.of(List.of()).allowsAll()).isFalse();
    }

    @Test
    void emptyRuleIsTheWildcard() {
        KafkaRules rules = KafkaRules.compile(List.of(topicRule("foo"), new PortRuleKafka(null, null, null, null, null)));
        assertThat(rules.allowsAll()).isTrue();
        assertThat(rules.matches(KafkaRequest.of(0, "bar"))).isTrue();
        assertThat(FOO_BAR.allowsAll()).isFalse();
    }

    private static PortRuleKafka topicRule(String topic) {
        return new PortRuleKafka(null, null, null, null, topic);
    }
}
