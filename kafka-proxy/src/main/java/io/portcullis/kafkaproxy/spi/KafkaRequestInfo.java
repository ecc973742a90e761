package io.portcullis.kafkaproxy.spi;

import java.util.List;

/**
 * What policy looks at in one Kafka request (the shape of policy-model's {@code KafkaRequest} and
 * {@code L7Request.Kafka}).
 *
 * @param apiKey     the numeric API key
 * @param apiName    Kafka's name of the key ({@code PRODUCE}), for flow records and logs
 * @param apiVersion the request's version
 * @param clientId   the header's client id, {@code ""} when absent
 * @param topics     topic names in the body, topic ids already resolved to names; an unresolvable id
 *                   appears as {@code topic-id:<uuid>} so no topic rule can match it. Empty for keys
 *                   without topics, and for "all topics" (e.g. Metadata with null topics)
 */
public record KafkaRequestInfo(int apiKey, String apiName, short apiVersion, String clientId, List<String> topics) {

    public KafkaRequestInfo {
        clientId = clientId == null ? "" : clientId;
        topics = List.copyOf(topics);
    }
}
