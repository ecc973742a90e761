package io.portcullis.policy.l7.kafka;

import java.util.List;

/**
 * What Kafka rules look at in a request: header fields and the topic names in the body.
 *
 * <p>{@code topics} are names; for requests that identify topics by id (Fetch v13+, ShareFetch,
 * ShareAcknowledge) the proxy resolves ids to names first. For a topic-carrying key an empty list is
 * how Kafka says "all topics" (e.g. Metadata with null topics), and a topic-restricted rule never
 * allows it, as in Cilium.
 */
public record KafkaRequest(int apiKey, int apiVersion, String clientId, List<String> topics) {

    public KafkaRequest {
        clientId = clientId == null ? "" : clientId;
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    public static KafkaRequest of(int apiKey, String... topics) {
        return new KafkaRequest(apiKey, 0, "", List.of(topics));
    }

    /** True when this request's key carries topics ({@link KafkaApiKey#carriesTopics(int)}). */
    public boolean carriesTopics() {
        return KafkaApiKey.carriesTopics(apiKey);
    }
}
