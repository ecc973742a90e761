package io.portcullis.policy.l7.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.PortRuleKafka;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kafka checks of conformance case {@code seed-kafka-empire.yaml} (shared/conformance/cases) from
 * empire-hq, evaluated against that file's {@code rules.kafka} transcribed by hand. The checks from
 * empire-outpost and to port 9093 are decided at L3/L4 and belong to the policy engine.
 */
class KafkaSeedEmpireConformanceTest {

    private static final KafkaRules RULES = KafkaRules.compile(List.of(
            new PortRuleKafka("produce", null, null, null, "deathstar-plans"),
            new PortRuleKafka("produce", null, null, null, "empire-announce")));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "produce|deathstar-plans|ALLOWED",
        "produce|empire-announce|ALLOWED",
        "produce|empire-announce deathstar-plans|ALLOWED",
        "produce|rebel-chatter|DENIED",
        "produce|deathstar-plans rebel-chatter|DENIED",
        "fetch|deathstar-plans|DENIED",
        "metadata|deathstar-plans|ALLOWED",
        "apiversions|''|ALLOWED"})
    void empireHqChecks(String apiKey, String topics, String expect) {
        List<String> topicList = topics.isEmpty() ? List.of() : Arrays.asList(topics.split(" "));
        KafkaRequest request = new KafkaRequest(KafkaApiKey.idOf(apiKey), 0, "", topicList);
        assertThat(RULES.matches(request)).isEqualTo(expect.equals("ALLOWED"));
    }
}
