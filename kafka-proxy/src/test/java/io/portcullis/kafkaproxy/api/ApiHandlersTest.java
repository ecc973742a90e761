package io.portcullis.kafkaproxy.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each API's topics and denied answer, as a table: request body and version → topics the policy sees
 * → the error the client gets. Requests go through the real wire form (serialized, then
 * {@code AbstractRequest.parseRequest}), denied answers through {@code AbstractResponse.parseResponse}.
 */
class ApiHandlersTest {

    static final Uuid PLANS_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    static final Uuid UNKNOWN_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAg");

    final TopicIds ids = new TopicIds();
    final ApiHandlers handlers = new ApiHandlers(ids);

    ApiHandlersTest() {
        ids.learn(PLANS_ID, "deathstar-plans");
    }

    static AbstractRequest wire(ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buf = ByteBuffer.allocate(body.size(cache, version));
        body.write(new ByteBufferAccessor(buf), cache, version);
        buf.flip();
        return AbstractRequest.parseRequest(ApiKeys.forId(body.apiKey()), version, new ByteBufferAccessor(buf)).request;
    }

    static AbstractResponse wireResponse(ApiKeys key, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buf = ByteBuffer.allocate(body.size(cache, version));
        body.write(new ByteBufferAccessor(buf), cache, version);
        buf.flip();
        return AbstractResponse.parseResponse(key, new ByteBufferAccessor(buf), version);
    }

    static ProduceRequestData produce(String name, Uuid id) {
        ProduceRequestData.TopicProduceDataCollection c = new ProduceRequestData.TopicProduceDataCollection();
        c.add(new ProduceRequestData.TopicProduceData().setName(name).setTopicId(id)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0))));
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000).setTopicData(c);
    }

    static ProduceRequestData produceWithRecords() {
        ProduceRequestData d = produce("rebels", Uuid.ZERO_UUID);
        d.topicData().iterator().next().partitionData().get(0).setRecords(org.apache.kafka.common.record.MemoryRecords.withRecords(
                org.apache.kafka.common.compress.Compression.NONE, new org.apache.kafka.common.record.SimpleRecord("v".getBytes())));
        return d;
    }

    static Stream<Arguments> table() {
        Errors topic = Errors.TOPIC_AUTHORIZATION_FAILED;
        Errors group = Errors.GROUP_AUTHORIZATION_FAILED;
        Errors cluster = Errors.CLUSTER_AUTHORIZATION_FAILED;
        return Stream.of(
                Arguments.of("produce by name (v12)", produce("rebels", Uuid.ZERO_UUID), 12, List.of("rebels"), topic),
                Arguments.of("produce with records", produceWithRecords(), 11, List.of("rebels"), topic),
                Arguments.of("produce by id (v13)", produce("", PLANS_ID), 13, List.of("deathstar-plans"), topic),
                Arguments.of("produce by unknown id", produce("", UNKNOWN_ID), 13, List.of("topic-id:" + UNKNOWN_ID), topic),
                Arguments.of("fetch by name (v12)", new FetchRequestData().setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("a")
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0))))), 12, List.of("a"), topic),
                Arguments.of("fetch by id (v17)", new FetchRequestData().setTopics(List.of(new FetchRequestData.FetchTopic().setTopicId(PLANS_ID)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0))))), 17, List.of("deathstar-plans"), topic),
                Arguments.of("list offsets", new ListOffsetsRequestData().setTopics(List.of(
                        new ListOffsetsRequestData.ListOffsetsTopic().setName("a").setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition())),
                        new ListOffsetsRequestData.ListOffsetsTopic().setName("b"))), 10, List.of("a", "b"), topic),
                Arguments.of("offset commit by name (v9)", new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("a").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0))))), 9, List.of("a"), topic),
                Arguments.of("offset commit by id (v10)", new OffsetCommitRequestData().setGroupId("g").setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setTopicId(PLANS_ID).setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0))))), 10, List.of("deathstar-plans"), topic),
                Arguments.of("offset fetch (v1)", new OffsetFetchRequestData().setGroupId("g").setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("a").setPartitionIndexes(List.of(0, 1)))), 1, List.of("a"), topic),
                Arguments.of("offset fetch (v7)", new OffsetFetchRequestData().setGroupId("g").setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("a").setPartitionIndexes(List.of(0)))), 7, List.of("a"), topic),
                Arguments.of("offset fetch by id (v10)", new OffsetFetchRequestData().setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(List.of(
                                new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(PLANS_ID).setPartitionIndexes(List.of(0)))))),
                        10, List.of("deathstar-plans"), topic),
                Arguments.of("offset fetch of two groups (v9)", new OffsetFetchRequestData().setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(List.of(
                                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("a").setPartitionIndexes(List.of(0)))),
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("h").setTopics(List.of(
                                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("b").setPartitionIndexes(List.of(0)))))),
                        9, List.of("a", "b"), topic),
                Arguments.of("offset fetch of all partitions (v9)", new OffsetFetchRequestData().setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null))), 9, List.of(), topic),
                Arguments.of("create topics", new CreateTopicsRequestData().setTopics(new CreateTopicsRequestData.CreatableTopicCollection(
                        List.of(new CreateTopicsRequestData.CreatableTopic().setName("new")).iterator())), 7, List.of("new"), topic),
                Arguments.of("delete topics by name (v5)", new DeleteTopicsRequestData().setTopicNames(List.of("old")), 5, List.of("old"), topic),
                Arguments.of("delete topics by id (v6)", new DeleteTopicsRequestData().setTopics(List.of(
                        new DeleteTopicsRequestData.DeleteTopicState().setTopicId(PLANS_ID))), 6, List.of("deathstar-plans"), topic),
                Arguments.of("delete records", new DeleteRecordsRequestData().setTopics(List.of(
                        new DeleteRecordsRequestData.DeleteRecordsTopic().setName("a").setPartitions(List.of(
                                new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0))))), 2, List.of("a"), topic),
                Arguments.of("offset for leader epoch", new OffsetForLeaderEpochRequestData().setTopics(
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection(List.of(
                                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("a").setPartitions(List.of(
                                        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)))).iterator())), 4, List.of("a"), topic),
                Arguments.of("add partitions to txn (v3)", new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId("t")
                        .setV3AndBelowTopics(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection(List.of(
                                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("a").setPartitions(List.of(0))).iterator())),
                        3, List.of("a"), topic),
                Arguments.of("txn offset commit", new TxnOffsetCommitRequestData().setTransactionalId("t").setGroupId("g").setTopics(List.of(
                        new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("a").setPartitions(List.of(
                                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0))))), 5, List.of("a"), topic),
                Arguments.of("create partitions", new CreatePartitionsRequestData().setTopics(
                        new CreatePartitionsRequestData.CreatePartitionsTopicCollection(List.of(
                                new CreatePartitionsRequestData.CreatePartitionsTopic().setName("a").setCount(2)).iterator())), 3, List.of("a"), topic),
                Arguments.of("describe producers", new DescribeProducersRequestData().setTopics(List.of(
                        new DescribeProducersRequestData.TopicRequest().setName("a").setPartitionIndexes(List.of(0)))), 0, List.of("a"), topic),
                Arguments.of("offset delete", new OffsetDeleteRequestData().setGroupId("g").setTopics(
                        new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection(List.of(
                                new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("a")).iterator())), 0, List.of("a"), topic),
                Arguments.of("describe topic partitions", new DescribeTopicPartitionsRequestData().setTopics(List.of(
                        new DescribeTopicPartitionsRequestData.TopicRequest().setName("a"))), 0, List.of("a"), topic),
                Arguments.of("join group", new JoinGroupRequestData().setGroupId("g").setProtocolType("consumer"), 9, List.of(), group),
                Arguments.of("heartbeat", new HeartbeatRequestData().setGroupId("g"), 4, List.of(), group),
                Arguments.of("find group coordinator", new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("g")),
                        6, List.of(), group),
                Arguments.of("find txn coordinator", new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("t")),
                        6, List.of(), Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED),
                Arguments.of("init producer id (idempotent)", new InitProducerIdRequestData().setTransactionalId(null), 5, List.of(), cluster),
                Arguments.of("init producer id (transactional)", new InitProducerIdRequestData().setTransactionalId("t").setTransactionTimeoutMs(1000),
                        5, List.of(), Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED),
                Arguments.of("describe acls (no specific handler)", new DescribeAclsRequestData().setResourceTypeFilter((byte) 1)
                        .setPatternTypeFilter((byte) 1).setOperation((byte) 1).setPermissionType((byte) 1), 3, List.of(), cluster));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void topicsAndDeniedAnswer(String what, ApiMessage body, int version, List<String> topics, Errors error) {
        short v = (short) version;
        AbstractRequest request = wire(body, v);
        ApiHandler handler = handlers.forKey(request.apiKey());
        assertThat(handler.topics(request, ids)).as(what).isEqualTo(topics);

        Denial denial = handler.deny(request, KafkaDecision.denied(Set.of(), Set.of(), "test"));
        assertThat(denial).isInstanceOf(Denial.Respond.class);
        AbstractResponse response = wireResponse(request.apiKey(), ((Denial.Respond) denial).response(), v);
        // Fetch answers per partition and keeps the top-level error NONE on purpose (see FetchHandler).
        assertThat(response.errorCounts().keySet()).as(what).filteredOn(e -> e != Errors.NONE).containsExactly(error);
    }

    @Test
    void aDeniedAcksZeroProduceIsNotAnswered() {
        AbstractRequest request = wire(produce("rebels", Uuid.ZERO_UUID).setAcks((short) 0), (short) 12);
        ApiHandler handler = handlers.forKey(ApiKeys.PRODUCE);
        assertThat(handler.expectsResponse(request)).isFalse();
        assertThat(handler.deny(request, KafkaDecision.denied(Set.of(), Set.of(), "test"))).isInstanceOf(Denial.Silent.class);
    }

    @Test
    void aDeniedMetadataForwardsOnlyTheAllowedTopicsAndAddsErrorsForTheRest() {
        AbstractRequest request = wire(new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("deathstar-plans"),
                new MetadataRequestData.MetadataRequestTopic().setName("rebels"))), (short) 12);
        Denial denial = handlers.forKey(ApiKeys.METADATA).deny(request, KafkaDecision.denied(Set.of(), Set.of("rebels"), "test"));
        Denial.ForwardReduced f = (Denial.ForwardReduced) denial;
        assertThat(((MetadataRequestData) f.request()).topics()).extracting(MetadataRequestData.MetadataRequestTopic::name)
                .containsExactly("deathstar-plans");

        MetadataResponseData fromBroker = new MetadataResponseData();
        fromBroker.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("deathstar-plans"));
        f.merge().accept(fromBroker);
        assertThat(fromBroker.topics().find("deathstar-plans").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(fromBroker.topics().find("rebels").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void aDeniedMetadataWithoutDeniedTopicsRefusesThemAll() {
        AbstractRequest request = wire(new MetadataRequestData().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("a"))), (short) 12);
        Denial.ForwardReduced f = (Denial.ForwardReduced) handlers.forKey(ApiKeys.METADATA)
                .deny(request, KafkaDecision.denied(Set.of(), Set.of(), "test"));
        assertThat(((MetadataRequestData) f.request()).topics()).isEmpty();
    }
}
