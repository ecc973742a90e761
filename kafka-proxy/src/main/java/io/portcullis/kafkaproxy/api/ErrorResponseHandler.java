package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * An API answered, when denied, by the request's own {@code getErrorResponse} with one error: Kafka
 * fills in per-topic/per-partition errors where the API has them, else the request-level error.
 * Also the default for keys without a specific handler (decided on the API key alone).
 */
public class ErrorResponseHandler implements ApiHandler {

    private final Errors error;
    private final BiFunction<AbstractRequest, TopicIds, List<String>> topics;

    public ErrorResponseHandler(Errors error, BiFunction<AbstractRequest, TopicIds, List<String>> topics) {
        this.error = error;
        this.topics = topics;
    }

    /** No topics: decided on the API key (and version, client id) alone. */
    public ErrorResponseHandler(Errors error) {
        this(error, (r, ids) -> List.of());
    }

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        return topics.apply(request, ids);
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        return new Denial.Respond(request.getErrorResponse(0, error.exception()).data());
    }

    public Errors error() {
        return error;
    }
}
