package io.portcullis.policy.l7.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.KafkaApiKeyNames;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link KafkaApiKey}: the rows of Cilium's {@code APIKeyMap}/{@code ReverseAPIKeyMap} and the
 * topic-key list of {@code isTopicAPIKey} (cilium/cilium {@code vendor/github.com/cilium/proxy/pkg/policy/api/kafka/kafka.go},
 * cilium/proxy {@code kafkalib/policy.go}), checked against the real client's {@code ApiKeys}
 * (kafka-clients, version from the Quarkus BOM).
 */
class KafkaApiKeyTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "produce, 0", "fetch, 1", "offsets, 2", "metadata, 3", "leaderandisr, 4", "stopreplica, 5",
        "updatemetadata, 6", "controlledshutdown, 7", "offsetcommit, 8", "offsetfetch, 9", "findcoordinator, 10",
        "joingroup, 11", "heartbeat, 12", "leavegroup, 13", "syncgroup, 14", "describegroups, 15", "listgroups, 16",
        "saslhandshake, 17", "apiversions, 18", "createtopics, 19", "deletetopics, 20", "deleterecords, 21",
        "initproducerid, 22", "offsetforleaderepoch, 23", "addpartitionstotxn, 24", "addoffsetstotxn, 25",
        "endtxn, 26", "writetxnmarkers, 27", "txnoffsetcommit, 28", "describeacls, 29", "createacls, 30",
        "deleteacls, 31", "describeconfigs, 32", "alterconfigs, 33"})
    void ciliumApiKeyMap(String name, int id) {
        assertThat(KafkaApiKey.idOf(name)).isEqualTo(id);
        assertThat(KafkaApiKey.nameOf(id)).isEqualTo(name);
        assertThat(KafkaApiKey.byId(id).orElseThrow().ciliumName()).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "listoffsets, 2", "LISTOFFSETS, 2", "ListOffsets, 2", "OFFSETS, 2", "Produce, 0", "ApiVersions, 18",
        "createpartitions, 37", "saslauthenticate, 36", "consumergroupheartbeat, 68", "consumergroupdescribe, 69",
        "describetopicpartitions, 75", "sharefetch, 78", "deletesharegroupoffsets, 92"})
    void kafkaNamesAreCaseInsensitiveAliases(String name, int id) {
        assertThat(KafkaApiKey.idOf(name)).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {"-", "''", "nosuchkey", "list_offset", "'produce '"})
    void unknownNames(String name) {
        assertThat(KafkaApiKey.idOf(name)).isNull();
        assertThat(KafkaApiKeyNames.idOf(name)).isNull();
    }

    @Test
    void unknownIdsPrintAsDecimal() {
        assertThat(KafkaApiKey.nameOf(1000)).isEqualTo("1000");
        assertThat(KafkaApiKey.nameOf(-1)).isEqualTo("-1");
        assertThat(KafkaApiKey.nameOf(34)).isEqualTo("alterreplicalogdirs");
    }

    @Test
    void ciliumTopicKeysAreCiliumsList() {
        Set<Integer> upTo37 = IntStream.rangeClosed(0, 37).filter(KafkaApiKey::carriesTopics).boxed()
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(upTo37).containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 9, 19, 20, 21, 23, 24, 27, 28, 34, 35, 37);
        assertThat(KafkaApiKey.NEWER_TOPIC_KEYS).allMatch(id -> id > 37 && KafkaApiKey.byId(id).isPresent());
    }

    @Test
    void everyKeyOfTheKafkaClientIsInTheTableWithTheSameId() {
        for (ApiKeys k : ApiKeys.values()) {
            KafkaApiKey ours = KafkaApiKey.byId(k.id).orElseThrow(() -> new AssertionError("missing " + k));
            assertThat(ours.kafkaName()).isEqualTo(k.name());
            assertThat(ours.alias()).isEqualTo(k.name.toLowerCase());
            assertThat(KafkaApiKey.idOf(k.name)).isEqualTo((int) k.id);
        }
        assertThat(KafkaApiKey.all()).hasSize(ApiKeys.values().length);
    }

    @Test
    void facadeDelegatesToTheTable() {
        assertThat(KafkaApiKeyNames.idOf("Produce")).isZero();
        assertThat(KafkaApiKeyNames.idOf("listoffsets")).isEqualTo(2);
        assertThat(KafkaApiKeyNames.nameOf(2)).isEqualTo("offsets");
    }
}
