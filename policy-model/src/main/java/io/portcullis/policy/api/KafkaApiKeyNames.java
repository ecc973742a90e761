package io.portcullis.policy.api;

import io.portcullis.policy.l7.kafka.KafkaApiKey;

/**
 * Kafka API key names for validation: a facade over {@link KafkaApiKey}, the one table of ids and
 * names (Cilium's names for keys 0–33, Kafka's names lower-cased without underscores for all keys of
 * Kafka 4.x, case-insensitive).
 */
public final class KafkaApiKeyNames {

    private KafkaApiKeyNames() {}

    /** The id of {@code name}, or null if it names no key. */
    public static Integer idOf(String name) {
        return KafkaApiKey.idOf(name);
    }

    /** The canonical name of {@code id}, or the id in decimal if unknown. */
    public static String nameOf(int id) {
        return KafkaApiKey.nameOf(id);
    }
}
