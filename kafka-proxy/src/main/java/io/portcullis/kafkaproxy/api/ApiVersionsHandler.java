package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * ApiVersions: passed through untouched when allowed (the proxy relays the broker's version ranges;
 * it understands every version kafka-clients does). Its body is not even parsed when allowed, because
 * clients may send a version newer than the proxy knows and the broker answers that itself.
 */
final class ApiVersionsHandler implements ApiHandler {

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        return List.of();
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        return new Denial.Respond(request.getErrorResponse(0, Errors.CLUSTER_AUTHORIZATION_FAILED.exception()).data());
    }
}
