package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.List;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * What the proxy needs to know about one Kafka API: the topics its request names and how to answer
 * it when denied. One small implementation per API concern; {@link ApiHandlers} maps keys to them.
 */
public interface ApiHandler {

    /** Topic names of the request, ids resolved; empty for no topics or "all topics". */
    List<String> topics(AbstractRequest request, TopicIds ids);

    /** The answer to a denied request. */
    Denial deny(AbstractRequest request, KafkaDecision decision);

    /** False when the broker sends no response to this request (Produce with acks=0). */
    default boolean expectsResponse(AbstractRequest request) {
        return true;
    }
}
