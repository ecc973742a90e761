package io.portcullis.policy.l7.kafka;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Kafka API key: the single table of ids and names for Portcullis (validation reaches it through
 * {@link io.portcullis.policy.api.KafkaApiKeyNames}).
 *
 * <p>It lists every key of Apache Kafka 4.1 ({@code org.apache.kafka.common.protocol.ApiKeys}, 0–92;
 * a test checks the table against the real client). Each key answers to two case-insensitive names:
 *
 * <ul>
 *   <li>{@link #name()}: Cilium's {@code APIKeyMap} name for keys 0–33 ({@code produce} …
 *       {@code alterconfigs}; key 2 is {@code offsets}), and for newer keys the Kafka name
 *       lower-cased without underscores.
 *   <li>{@link #alias()}: Kafka's enum name lower-cased without underscores ({@code listoffsets}), the
 *       same as {@code name()} except for key 2.
 * </ul>
 *
 * @param id the key's number in the Kafka protocol
 * @param ciliumName Cilium's name, null for keys Cilium does not know (34 and up)
 * @param kafkaName Kafka's {@code ApiKeys} constant, e.g. {@code LIST_OFFSETS}
 */
public record KafkaApiKey(int id, String ciliumName, String kafkaName) {

    /**
     * Keys whose requests carry topic names, so a rule's {@code topic} applies to them.
     *
     * <p>Cilium's list (cilium/proxy {@code isTopicAPIKey}): 0 produce, 1 fetch, 2 offsets, 3 metadata,
     * 4 leaderandisr, 5 stopreplica, 6 updatemetadata, 8 offsetcommit, 9 offsetfetch, 19 createtopics,
     * 20 deletetopics, 21 deleterecords, 23 offsetforleaderepoch, 24 addpartitionstotxn,
     * 27 writetxnmarkers, 28 txnoffsetcommit, 34 alterreplicalogdirs, 35 describelogdirs,
     * 37 createpartitions.
     */
    public static final Set<Integer> CILIUM_TOPIC_KEYS =
            Set.of(0, 1, 2, 3, 4, 5, 6, 8, 9, 19, 20, 21, 23, 24, 27, 28, 34, 35, 37);

    /**
     * Newer keys whose request bodies list topics (by name, or by topic id for 78/79, which the proxy
     * resolves to names): 43 ElectLeaders, 45 AlterPartitionReassignments, 46
     * ListPartitionReassignments, 47 OffsetDelete, 61 DescribeProducers, 75 DescribeTopicPartitions,
     * 78 ShareFetch, 79 ShareAcknowledge, 90 DescribeShareGroupOffsets, 91 AlterShareGroupOffsets,
     * 92 DeleteShareGroupOffsets. Cilium predates them; without this a topic-restricted rule with no
     * apiKey would let them through for any topic.
     *
     * <p>Deliberately not listed: config APIs (32, 33, 44), whose resources may be topics, because
     * Cilium leaves 32/33 out too; group heartbeats (68 ConsumerGroupHeartbeat, 88
     * StreamsGroupHeartbeat), which like JoinGroup (11) name subscriptions, not the topics read; and
     * broker-internal keys (56, 73, 83–87).
     */
    public static final Set<Integer> NEWER_TOPIC_KEYS = Set.of(43, 45, 46, 47, 61, 75, 78, 79, 90, 91, 92);

    private static final List<KafkaApiKey> ALL = List.of(
            key(0, "produce", "PRODUCE"),
            key(1, "fetch", "FETCH"),
            key(2, "offsets", "LIST_OFFSETS"),
            key(3, "metadata", "METADATA"),
            key(4, "leaderandisr", "LEADER_AND_ISR"),
            key(5, "stopreplica", "STOP_REPLICA"),
            key(6, "updatemetadata", "UPDATE_METADATA"),
            key(7, "controlledshutdown", "CONTROLLED_SHUTDOWN"),
            key(8, "offsetcommit", "OFFSET_COMMIT"),
            key(9, "offsetfetch", "OFFSET_FETCH"),
            key(10, "findcoordinator", "FIND_COORDINATOR"),
            key(11, "joingroup", "JOIN_GROUP"),
            key(12, "heartbeat", "HEARTBEAT"),
            key(13, "leavegroup", "LEAVE_GROUP"),
            key(14, "syncgroup", "SYNC_GROUP"),
            key(15, "describegroups", "DESCRIBE_GROUPS"),
            key(16, "listgroups", "LIST_GROUPS"),
            key(17, "saslhandshake", "SASL_HANDSHAKE"),
            key(18, "apiversions", "API_VERSIONS"),
            key(19, "createtopics", "CREATE_TOPICS"),
            key(20, "deletetopics", "DELETE_TOPICS"),
            key(21, "deleterecords", "DELETE_RECORDS"),
            key(22, "initproducerid", "INIT_PRODUCER_ID"),
            key(23, "offsetforleaderepoch", "OFFSET_FOR_LEADER_EPOCH"),
            key(24, "addpartitionstotxn", "ADD_PARTITIONS_TO_TXN"),
            key(25, "addoffsetstotxn", "ADD_OFFSETS_TO_TXN"),
            key(26, "endtxn", "END_TXN"),
            key(27, "writetxnmarkers", "WRITE_TXN_MARKERS"),
            key(28, "txnoffsetcommit", "TXN_OFFSET_COMMIT"),
            key(29, "describeacls", "DESCRIBE_ACLS"),
            key(30, "createacls", "CREATE_ACLS"),
            key(31, "deleteacls", "DELETE_ACLS"),
            key(32, "describeconfigs", "DESCRIBE_CONFIGS"),
            key(33, "alterconfigs", "ALTER_CONFIGS"),
            key(34, null, "ALTER_REPLICA_LOG_DIRS"),
            key(35, null, "DESCRIBE_LOG_DIRS"),
            key(36, null, "SASL_AUTHENTICATE"),
            key(37, null, "CREATE_PARTITIONS"),
            key(38, null, "CREATE_DELEGATION_TOKEN"),
            key(39, null, "RENEW_DELEGATION_TOKEN"),
            key(40, null, "EXPIRE_DELEGATION_TOKEN"),
            key(41, null, "DESCRIBE_DELEGATION_TOKEN"),
            key(42, null, "DELETE_GROUPS"),
            key(43, null, "ELECT_LEADERS"),
            key(44, null, "INCREMENTAL_ALTER_CONFIGS"),
            key(45, null, "ALTER_PARTITION_REASSIGNMENTS"),
            key(46, null, "LIST_PARTITION_REASSIGNMENTS"),
            key(47, null, "OFFSET_DELETE"),
            key(48, null, "DESCRIBE_CLIENT_QUOTAS"),
            key(49, null, "ALTER_CLIENT_QUOTAS"),
            key(50, null, "DESCRIBE_USER_SCRAM_CREDENTIALS"),
            key(51, null, "ALTER_USER_SCRAM_CREDENTIALS"),
            key(52, null, "VOTE"),
            key(53, null, "BEGIN_QUORUM_EPOCH"),
            key(54, null, "END_QUORUM_EPOCH"),
            key(55, null, "DESCRIBE_QUORUM"),
            key(56, null, "ALTER_PARTITION"),
            key(57, null, "UPDATE_FEATURES"),
            key(58, null, "ENVELOPE"),
            key(59, null, "FETCH_SNAPSHOT"),
            key(60, null, "DESCRIBE_CLUSTER"),
            key(61, null, "DESCRIBE_PRODUCERS"),
            key(62, null, "BROKER_REGISTRATION"),
            key(63, null, "BROKER_HEARTBEAT"),
            key(64, null, "UNREGISTER_BROKER"),
            key(65, null, "DESCRIBE_TRANSACTIONS"),
            key(66, null, "LIST_TRANSACTIONS"),
            key(67, null, "ALLOCATE_PRODUCER_IDS"),
            key(68, null, "CONSUMER_GROUP_HEARTBEAT"),
            key(69, null, "CONSUMER_GROUP_DESCRIBE"),
            key(70, null, "CONTROLLER_REGISTRATION"),
            key(71, null, "GET_TELEMETRY_SUBSCRIPTIONS"),
            key(72, null, "PUSH_TELEMETRY"),
            key(73, null, "ASSIGN_REPLICAS_TO_DIRS"),
            key(74, null, "LIST_CONFIG_RESOURCES"),
            key(75, null, "DESCRIBE_TOPIC_PARTITIONS"),
            key(76, null, "SHARE_GROUP_HEARTBEAT"),
            key(77, null, "SHARE_GROUP_DESCRIBE"),
            key(78, null, "SHARE_FETCH"),
            key(79, null, "SHARE_ACKNOWLEDGE"),
            key(80, null, "ADD_RAFT_VOTER"),
            key(81, null, "REMOVE_RAFT_VOTER"),
            key(82, null, "UPDATE_RAFT_VOTER"),
            key(83, null, "INITIALIZE_SHARE_GROUP_STATE"),
            key(84, null, "READ_SHARE_GROUP_STATE"),
            key(85, null, "WRITE_SHARE_GROUP_STATE"),
            key(86, null, "DELETE_SHARE_GROUP_STATE"),
            key(87, null, "READ_SHARE_GROUP_STATE_SUMMARY"),
            key(88, null, "STREAMS_GROUP_HEARTBEAT"),
            key(89, null, "STREAMS_GROUP_DESCRIBE"),
            key(90, null, "DESCRIBE_SHARE_GROUP_OFFSETS"),
            key(91, null, "ALTER_SHARE_GROUP_OFFSETS"),
            key(92, null, "DELETE_SHARE_GROUP_OFFSETS"));

    private static final Map<Integer, KafkaApiKey> BY_ID = indexById();
    private static final Map<String, KafkaApiKey> BY_NAME = indexByName();

    /** The name to show and the first name looked up: Cilium's if it has one, else {@link #alias()}. */
    public String name() {
        return ciliumName != null ? ciliumName : alias();
    }

    /** Kafka's name lower-cased without underscores, e.g. {@code listoffsets}. */
    public String alias() {
        return kafkaName.replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** True when requests of this key carry topics ({@link #CILIUM_TOPIC_KEYS} or {@link #NEWER_TOPIC_KEYS}). */
    public boolean carriesTopics() {
        return carriesTopics(id);
    }

    public static boolean carriesTopics(int id) {
        return CILIUM_TOPIC_KEYS.contains(id) || NEWER_TOPIC_KEYS.contains(id);
    }

    /** Every key, by id. */
    public static List<KafkaApiKey> all() {
        return ALL;
    }

    public static Optional<KafkaApiKey> byId(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /**
     * Lookup by {@link #name()} or {@link #alias()}, ignoring case and underscores, so Kafka's enum
     * spelling ({@code CONSUMER_GROUP_HEARTBEAT}) works too.
     */
    public static Optional<KafkaApiKey> byName(String name) {
        return name == null ? Optional.empty()
                : Optional.ofNullable(BY_NAME.get(name.replace("_", "").toLowerCase(Locale.ROOT)));
    }

    /** The id of a key name (case-insensitive, Cilium name or Kafka alias), or null if unknown. */
    public static Integer idOf(String name) {
        return byName(name).map(KafkaApiKey::id).orElse(null);
    }

    /** The key's {@link #name()}, or the id in decimal if unknown (as Cilium's {@code ApiKeyToString}). */
    public static String nameOf(int id) {
        KafkaApiKey key = BY_ID.get(id);
        return key != null ? key.name() : Integer.toString(id);
    }

    private static KafkaApiKey key(int id, String ciliumName, String kafkaName) {
        return new KafkaApiKey(id, ciliumName, kafkaName);
    }

    private static Map<Integer, KafkaApiKey> indexById() {
        Map<Integer, KafkaApiKey> m = new TreeMap<>();
        for (KafkaApiKey k : ALL) {
            if (m.put(k.id(), k) != null) {
                throw new IllegalStateException("duplicate Kafka API key id " + k.id());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, KafkaApiKey> indexByName() {
        Map<String, KafkaApiKey> m = new HashMap<>();
        for (KafkaApiKey k : ALL) {
            for (String n : List.of(k.name(), k.alias())) {
                KafkaApiKey previous = m.put(n, k);
                if (previous != null && previous != k) {
                    throw new IllegalStateException("Kafka API key name " + n + " used twice");
                }
            }
        }
        return Map.copyOf(m);
    }
}
