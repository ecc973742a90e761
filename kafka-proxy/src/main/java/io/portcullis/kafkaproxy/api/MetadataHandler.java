package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: topics by name (or id from v10); null topics means all, reported as no topics so a
 * topic-restricted rule denies it.
 *
 * <p>Denied: the request is forwarded with only the allowed topics (none for an all-topics request)
 * and the denied ones are added to the response with TOPIC_AUTHORIZATION_FAILED. A locally built
 * response could not carry the broker list, and clients ignore a Metadata response without brokers
 * (they would time out instead of seeing {@code TopicAuthorizationException}). No denied topic reaches
 * the broker. Version 0 cannot ask for "no topics", so there a request with nothing allowed is
 * answered locally (per-topic errors, no brokers).
 */
final class MetadataHandler implements ApiHandler {

    private final TopicIds ids;

    MetadataHandler(TopicIds ids) {
        this.ids = ids;
    }

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        MetadataRequestData data = ((MetadataRequest) request).data();
        if (data.topics() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(data.topics().size());
        for (MetadataRequestData.MetadataRequestTopic t : data.topics()) {
            out.add(ids.name(t.name(), t.topicId()));
        }
        return out;
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        MetadataRequestData original = ((MetadataRequest) request).data();
        MetadataRequestData reduced = original.duplicate();
        List<MetadataRequestData.MetadataRequestTopic> kept = new ArrayList<>();
        List<MetadataRequestData.MetadataRequestTopic> refused = new ArrayList<>();
        Set<String> denied = decision.deniedTopics();
        if (original.topics() != null) {
            for (MetadataRequestData.MetadataRequestTopic t : original.topics()) {
                String name = ids.name(t.name(), t.topicId());
                boolean isDenied = denied.isEmpty() || denied.contains(name);
                (isDenied ? refused : kept).add(t.duplicate());
            }
        }
        if (kept.isEmpty() && request.version() == 0) {
            // v0 has no way to ask for no topics (an empty list means all): answer here, without brokers.
            return new Denial.Respond(request.getErrorResponse(0, Errors.TOPIC_AUTHORIZATION_FAILED.exception()).data());
        }
        reduced.setTopics(kept);
        return new Denial.ForwardReduced(reduced, response -> addDenied((MetadataResponseData) response, refused));
    }

    private static void addDenied(MetadataResponseData response, List<MetadataRequestData.MetadataRequestTopic> refused) {
        for (MetadataRequestData.MetadataRequestTopic t : refused) {
            response.topics().add(new MetadataResponseData.MetadataResponseTopic()
                    .setName(t.name())
                    .setTopicId(t.topicId())
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        }
    }
}
