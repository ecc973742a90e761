package io.portcullis.policy.l7.kafka;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code role}: a named group of API keys (Cilium's {@code GetAPIKeys}). */
public enum KafkaRole {
    /** produce, metadata, apiversions. */
    PRODUCE(Set.of(0, 3, 18), Set.of(22, 71, 72)),
    /** fetch, offsets, metadata, offsetcommit, offsetfetch, findcoordinator, joingroup, heartbeat, leavegroup, syncgroup, apiversions. */
    CONSUME(Set.of(1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 18), Set.of(68, 71, 72, 76, 78, 79));

    private final Set<Integer> ciliumKeys;
    private final Set<Integer> kafka4Keys;

    /**
     * @param kafka4Extra what {@link RoleExpansion#KAFKA_4} adds. Produce: 22 InitProducerId (idempotence
     *     is on by default since Kafka 3.0, so a default producer sends it first). Consume: 68
     *     ConsumerGroupHeartbeat (KIP-848 group protocol, GA in 4.0) and 76 ShareGroupHeartbeat, 78
     *     ShareFetch, 79 ShareAcknowledge (KIP-932 share groups). Both: 71 GetTelemetrySubscriptions and
     *     72 PushTelemetry (KIP-714, sent by 3.7+ clients when the broker offers them). Not added:
     *     describe calls (69, 77; Cilium's consume also omits 15 DescribeGroups) and transactional-only
     *     keys (24–26, 28), which need an explicit {@code apiKey} rule.
     */
    KafkaRole(Set<Integer> ciliumKeys, Set<Integer> kafka4Extra) {
        this.ciliumKeys = Set.copyOf(ciliumKeys);
        Set<Integer> all = new TreeSet<>(ciliumKeys);
        all.addAll(kafka4Extra);
        this.kafka4Keys = Set.copyOf(all);
    }

    /** Case-insensitive {@code produce}/{@code consume}. */
    public static Optional<KafkaRole> parse(String role) {
        if (role == null) {
            return Optional.empty();
        }
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "produce" -> Optional.of(PRODUCE);
            case "consume" -> Optional.of(CONSUME);
            default -> Optional.empty();
        };
    }

    /** Cilium's key set. */
    public Set<Integer> apiKeys() {
        return ciliumKeys;
    }

    public Set<Integer> apiKeys(RoleExpansion expansion) {
        return expansion == RoleExpansion.KAFKA_4 ? kafka4Keys : ciliumKeys;
    }
}
