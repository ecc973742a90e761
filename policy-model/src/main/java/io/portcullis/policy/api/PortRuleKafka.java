package io.portcullis.policy.api;

/** A Kafka rule (Cilium ≤ 1.19 semantics, kept and extended to Kafka 4 API keys). */
public record PortRuleKafka(String role, String apiKey, String apiVersion, String clientID, String topic) {}
