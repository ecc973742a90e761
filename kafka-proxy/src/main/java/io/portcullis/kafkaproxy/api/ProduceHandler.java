package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;

/** Produce: topics by name, or by id from v13; denied → TOPIC_AUTHORIZATION_FAILED on every partition; acks=0 gets no answer. */
final class ProduceHandler implements ApiHandler {

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        ProduceRequestData data = ((ProduceRequest) request).data();
        List<String> out = new ArrayList<>(data.topicData().size());
        for (ProduceRequestData.TopicProduceData t : data.topicData()) {
            out.add(ids.name(t.name(), t.topicId()));
        }
        return out;
    }

    @Override
    public boolean expectsResponse(AbstractRequest request) {
        return ((ProduceRequest) request).acks() != 0;
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        if (!expectsResponse(request)) {
            return new Denial.Silent();
        }
        // Built here rather than by getErrorResponse, which fails on a partition with null records.
        ProduceResponseData out = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData t : ((ProduceRequest) request).data().topicData()) {
            ProduceResponseData.TopicProduceResponse tr = new ProduceResponseData.TopicProduceResponse()
                    .setName(t.name())
                    .setTopicId(t.topicId());
            for (ProduceRequestData.PartitionProduceData p : t.partitionData()) {
                tr.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse()
                        .setIndex(p.index())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message())
                        .setBaseOffset(-1)
                        .setLogAppendTimeMs(-1)
                        .setLogStartOffset(-1));
            }
            out.responses().add(tr);
        }
        return new Denial.Respond(out);
    }
}
