package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.AlterReplicaLogDirsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.ShareAcknowledgeRequest;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;

/**
 * API key → its {@link ApiHandler}. Keys with topics get an extractor here (answered, when denied,
 * by the request's own per-topic error response with TOPIC_AUTHORIZATION_FAILED) or a class of their
 * own; every other key is decided on the key alone and denied with CLUSTER_AUTHORIZATION_FAILED.
 * A topic-carrying key missing here would report no topics, which topic-restricted rules deny.
 */
public final class ApiHandlers {

    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
    private final ApiHandler fallback = new ErrorResponseHandler(Errors.CLUSTER_AUTHORIZATION_FAILED);

    public ApiHandlers(TopicIds ids) {
        handlers.put(ApiKeys.PRODUCE, new ProduceHandler());
        handlers.put(ApiKeys.FETCH, new FetchHandler());
        handlers.put(ApiKeys.METADATA, new MetadataHandler(ids));
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler());
        handlers.put(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler());

        ApiHandler group = new GroupHandler();
        for (ApiKeys k : List.of(ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT,
                ApiKeys.LEAVE_GROUP, ApiKeys.DESCRIBE_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                ApiKeys.CONSUMER_GROUP_DESCRIBE, ApiKeys.SHARE_GROUP_HEARTBEAT, ApiKeys.SHARE_GROUP_DESCRIBE,
                ApiKeys.STREAMS_GROUP_HEARTBEAT, ApiKeys.STREAMS_GROUP_DESCRIBE)) {
            handlers.put(k, group);
        }
        ApiHandler txn = new TransactionHandler();
        for (ApiKeys k : List.of(ApiKeys.INIT_PRODUCER_ID, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN)) {
            handlers.put(k, txn);
        }

        topics(ApiKeys.LIST_OFFSETS, (ListOffsetsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.OFFSET_COMMIT, (OffsetCommitRequest r, TopicIds i) -> {
            List<String> out = new ArrayList<>();
            for (OffsetCommitRequestData.OffsetCommitRequestTopic t : r.data().topics()) {
                out.add(i.name(t.name(), t.topicId()));
            }
            return out;
        });
        topics(ApiKeys.CREATE_TOPICS, (CreateTopicsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.DELETE_TOPICS, (DeleteTopicsRequest r, TopicIds i) -> {
            List<String> out = new ArrayList<>(r.data().topicNames());
            r.data().topics().forEach(t -> out.add(i.name(t.name(), t.topicId())));
            return out;
        });
        topics(ApiKeys.DELETE_RECORDS, (DeleteRecordsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.OFFSET_FOR_LEADER_EPOCH, (OffsetsForLeaderEpochRequest r) -> names(r.data().topics(), t -> t.topic()));
        topics(ApiKeys.ADD_PARTITIONS_TO_TXN, ApiHandlers::addPartitionsTopics);
        topics(ApiKeys.TXN_OFFSET_COMMIT, (TxnOffsetCommitRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.ALTER_REPLICA_LOG_DIRS, (AlterReplicaLogDirsRequest r) -> {
            List<String> out = new ArrayList<>();
            r.data().dirs().forEach(d -> d.topics().forEach(t -> out.add(t.name())));
            return out;
        });
        topics(ApiKeys.DESCRIBE_LOG_DIRS, (DescribeLogDirsRequest r) -> names(r.data().topics(), t -> t.topic()));
        topics(ApiKeys.CREATE_PARTITIONS, (CreatePartitionsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.ELECT_LEADERS, (ElectLeadersRequest r) -> names(r.data().topicPartitions(), t -> t.topic()));
        topics(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, (AlterPartitionReassignmentsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.LIST_PARTITION_REASSIGNMENTS, (ListPartitionReassignmentsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.OFFSET_DELETE, (OffsetDeleteRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.DESCRIBE_PRODUCERS, (DescribeProducersRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (DescribeTopicPartitionsRequest r) -> names(r.data().topics(), t -> t.name()));
        topics(ApiKeys.SHARE_FETCH, (ShareFetchRequest r, TopicIds i) -> names(r.data().topics(), t -> i.name(null, t.topicId())));
        topics(ApiKeys.SHARE_ACKNOWLEDGE, (ShareAcknowledgeRequest r, TopicIds i) -> names(r.data().topics(), t -> i.name(null, t.topicId())));
    }

    public ApiHandler forKey(ApiKeys key) {
        return handlers.getOrDefault(key, fallback);
    }

    @SuppressWarnings("unchecked")
    private <R extends AbstractRequest> void topics(ApiKeys key, BiFunction<R, TopicIds, List<String>> extractor) {
        handlers.put(key, new ErrorResponseHandler(Errors.TOPIC_AUTHORIZATION_FAILED,
                (r, ids) -> extractor.apply((R) r, ids)));
    }

    private <R extends AbstractRequest> void topics(ApiKeys key, Function<R, List<String>> extractor) {
        topics(key, (R r, TopicIds ids) -> extractor.apply(r));
    }

    /** Null collections (e.g. "all topics" in DescribeLogDirs) give no topics. */
    private static <T> List<String> names(Collection<T> items, Function<T, String> name) {
        if (items == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(items.size());
        for (T t : items) {
            out.add(name.apply(t));
        }
        return out;
    }

    private static List<String> addPartitionsTopics(AddPartitionsToTxnRequest r) {
        AddPartitionsToTxnRequestData d = r.data();
        List<String> out = new ArrayList<>();
        d.v3AndBelowTopics().forEach(t -> out.add(t.name()));
        d.transactions().forEach(tx -> tx.topics().forEach(t -> out.add(t.name())));
        return out;
    }
}
