package io.portcullis.policy.l7.kafka;

/**
 * Which API keys a {@code role} stands for.
 *
 * <p>{@link #CILIUM} is the default and what conformance expects. {@link #KAFKA_4} is an opt-in for
 * clusters whose clients use features Cilium's sets predate; see {@link KafkaRole#apiKeys(RoleExpansion)}.
 */
public enum RoleExpansion {
    /** Cilium's {@code GetAPIKeys} sets, unchanged. */
    CILIUM,
    /** Cilium's sets plus the keys current Kafka 4 producers and consumers send by default or opt-in. */
    KAFKA_4
}
