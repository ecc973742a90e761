package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;

/**
 * OffsetFetch: topics per group (v8+; by id from v10) or top-level (v0–7). Denied →
 * TOPIC_AUTHORIZATION_FAILED on each requested partition, which consumers raise as
 * {@code TopicAuthorizationException} (Kafka's own {@code getErrorResponse} puts it on the group,
 * which consumers report as an unexpected error). A request for all of a group's partitions has none
 * to name, so that group gets the error itself.
 */
final class OffsetFetchHandler implements ApiHandler {

    private static final short DENIED = Errors.TOPIC_AUTHORIZATION_FAILED.code();

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        List<String> out = new ArrayList<>();
        OffsetFetchRequestData d = ((OffsetFetchRequest) request).data();
        if (d.topics() != null) {
            d.topics().forEach(t -> out.add(t.name()));
        }
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : d.groups()) {
            if (g.topics() != null) {
                g.topics().forEach(t -> out.add(ids.name(t.name(), t.topicId())));
            }
        }
        return out;
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        OffsetFetchRequestData d = ((OffsetFetchRequest) request).data();
        if (request.version() < 8) {
            if (d.topics() == null) {
                return new Denial.Respond(new OffsetFetchResponseData().setErrorCode(DENIED));
            }
            OffsetFetchResponseData out = new OffsetFetchResponseData();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : d.topics()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic rt = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name());
                for (int p : t.partitionIndexes()) {
                    rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("").setErrorCode(DENIED));
                }
                out.topics().add(rt);
            }
            return new Denial.Respond(out);
        }
        OffsetFetchResponseData out = new OffsetFetchResponseData();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : d.groups()) {
            OffsetFetchResponseData.OffsetFetchResponseGroup rg = new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(g.groupId());
            if (g.topics() == null) {
                rg.setErrorCode(DENIED);
            } else {
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics()) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics rt = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                            .setName(t.name()).setTopicId(t.topicId());
                    for (int p : t.partitionIndexes()) {
                        rt.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("").setErrorCode(DENIED));
                    }
                    rg.topics().add(rt);
                }
            }
            out.groups().add(rg);
        }
        return new Denial.Respond(out);
    }
}
