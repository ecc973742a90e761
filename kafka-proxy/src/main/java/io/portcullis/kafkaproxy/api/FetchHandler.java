package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Fetch: topics by name, or by id from v13 (forgotten topics are not read, so not checked). Denied →
 * TOPIC_AUTHORIZATION_FAILED per partition with no top-level error, so consumers raise
 * {@code TopicAuthorizationException}; the response closes the fetch session (the broker's session no
 * longer matches what the client saw), and the client starts a fresh one.
 */
final class FetchHandler implements ApiHandler {

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        FetchRequestData data = ((FetchRequest) request).data();
        List<String> out = new ArrayList<>(data.topics().size());
        for (FetchRequestData.FetchTopic t : data.topics()) {
            out.add(ids.name(t.topic(), t.topicId()));
        }
        return out;
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        FetchRequestData data = ((FetchRequest) request).data();
        FetchResponseData out = new FetchResponseData()
                .setErrorCode(Errors.NONE.code())
                .setSessionId(FetchMetadata.INVALID_SESSION_ID);
        for (FetchRequestData.FetchTopic t : data.topics()) {
            FetchResponseData.FetchableTopicResponse tr = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(t.topic())
                    .setTopicId(t.topicId());
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                tr.partitions().add(FetchResponse.partitionResponse(p.partition(), Errors.TOPIC_AUTHORIZATION_FAILED));
            }
            out.responses().add(tr);
        }
        return new Denial.Respond(out);
    }
}
