package io.portcullis.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cilium's {@code APIKeyMap} names (cilium/proxy {@code kafka.go}) and Kafka 4 protocol names. */
class KafkaApiKeyNamesTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
        "produce, 0",
        "Produce, 0",
        "offsets, 2",
        "listoffsets, 2",
        "ListOffsets, 2",
        "apiversions, 18",
        "alterconfigs, 33",
        "describecluster, 60",
        "consumergroupheartbeat, 68",
        "consumer_group_heartbeat, 68",
        "deleteshargroupoffsets, null",
        "sendmail, null",
        "null, null",
    })
    void idOf(String name, Integer id) {
        assertThat(KafkaApiKeyNames.idOf(name)).isEqualTo(id);
    }
}
