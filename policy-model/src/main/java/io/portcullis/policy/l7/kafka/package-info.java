/**
 * Kafka L7 rules (CILIUM-SEMANTICS §3.3; Cilium ≤ 1.19, enforcement as cilium/proxy
 * {@code proxylib/kafka/kafkalib/policy.go}): the API key table ({@link
 * io.portcullis.policy.l7.kafka.KafkaApiKey}, Kafka 4.x), role expansion ({@link
 * io.portcullis.policy.l7.kafka.KafkaRole}), one compiled rule ({@link
 * io.portcullis.policy.l7.kafka.KafkaRuleMatcher}) and the OR of a port's rules with Cilium's
 * all-topics-must-be-allowed rule ({@link io.portcullis.policy.l7.kafka.KafkaRules}).
 */
package io.portcullis.policy.l7.kafka;
