package io.portcullis.policy.api;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka API key names a policy's {@code apiKey} may use, case-insensitively. Cilium's own names cover
 * keys 0–33 ({@code APIKeyMap} in cilium/proxy, e.g. {@code offsets} for 2); beyond that, and as aliases,
 * the Kafka 4 protocol names lower-cased without underscores ({@code listoffsets},
 * {@code describecluster}, …).
 */
public final class KafkaApiKeyNames {

    /** Cilium's names, index = API key. */
    private static final String[] CILIUM = {
        "produce", "fetch", "offsets", "metadata", "leaderandisr", "stopreplica", "updatemetadata",
        "controlledshutdown", "offsetcommit", "offsetfetch", "findcoordinator", "joingroup", "heartbeat",
        "leavegroup", "syncgroup", "describegroups", "listgroups", "saslhandshake", "apiversions",
        "createtopics", "deletetopics", "deleterecords", "initproducerid", "offsetforleaderepoch",
        "addpartitionstotxn", "addoffsetstotxn", "endtxn", "writetxnmarkers", "txnoffsetcommit",
        "describeacls", "createacls", "deleteacls", "describeconfigs", "alterconfigs",
    };

    /** Kafka protocol names (https://kafka.apache.org/protocol#protocol_api_keys), index = API key. */
    private static final String[] KAFKA = {
        "Produce", "Fetch", "ListOffsets", "Metadata", "LeaderAndIsr", "StopReplica", "UpdateMetadata",
        "ControlledShutdown", "OffsetCommit", "OffsetFetch", "FindCoordinator", "JoinGroup", "Heartbeat",
        "LeaveGroup", "SyncGroup", "DescribeGroups", "ListGroups", "SaslHandshake", "ApiVersions",
        "CreateTopics", "DeleteTopics", "DeleteRecords", "InitProducerId", "OffsetForLeaderEpoch",
        "AddPartitionsToTxn", "AddOffsetsToTxn", "EndTxn", "WriteTxnMarkers", "TxnOffsetCommit",
        "DescribeAcls", "CreateAcls", "DeleteAcls", "DescribeConfigs", "AlterConfigs",
        "AlterReplicaLogDirs", "DescribeLogDirs", "SaslAuthenticate", "CreatePartitions",
        "CreateDelegationToken", "RenewDelegationToken", "ExpireDelegationToken", "DescribeDelegationToken",
        "DeleteGroups", "ElectLeaders", "IncrementalAlterConfigs", "AlterPartitionReassignments",
        "ListPartitionReassignments", "OffsetDelete", "DescribeClientQuotas", "AlterClientQuotas",
        "DescribeUserScramCredentials", "AlterUserScramCredentials", "Vote", "BeginQuorumEpoch",
        "EndQuorumEpoch", "DescribeQuorum", "AlterPartition", "UpdateFeatures", "Envelope", "FetchSnapshot",
        "DescribeCluster", "DescribeProducers", "BrokerRegistration", "BrokerHeartbeat", "UnregisterBroker",
        "DescribeTransactions", "ListTransactions", "AllocateProducerIds", "ConsumerGroupHeartbeat",
        "ConsumerGroupDescribe", "ControllerRegistration", "GetTelemetrySubscriptions", "PushTelemetry",
        "AssignReplicasToDirs", "ListClientMetricsResources", "DescribeTopicPartitions",
        "ShareGroupHeartbeat", "ShareGroupDescribe", "ShareFetch", "ShareAcknowledge", "AddRaftVoter",
        "RemoveRaftVoter", "UpdateRaftVoter", "InitializeShareGroupState", "ReadShareGroupState",
        "WriteShareGroupState", "DeleteShareGroupState", "ReadShareGroupStateSummary",
        "StreamsGroupHeartbeat", "StreamsGroupDescribe", "DescribeShareGroupOffsets",
        "AlterShareGroupOffsets", "DeleteShareGroupOffsets",
    };

    private static final Map<String, Integer> IDS = new HashMap<>();

    static {
        for (int id = 0; id < KAFKA.length; id++) {
            IDS.put(normalise(KAFKA[id]), id);
        }
        for (int id = 0; id < CILIUM.length; id++) {
            IDS.put(CILIUM[id], id);
        }
        IDS.put("listconfigresources", 74); // Kafka 4.1's name for ListClientMetricsResources
    }

    private KafkaApiKeyNames() {}

    /** The API key a name stands for (case-insensitive, underscores ignored), or {@code null} when unknown. */
    public static Integer idOf(String name) {
        return name == null ? null : IDS.get(normalise(name));
    }

    private static String normalise(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
