package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * Producer ids and transactions without topics (InitProducerId, AddOffsetsToTxn, EndTxn): denied →
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, or CLUSTER_AUTHORIZATION_FAILED for an idempotent producer's
 * InitProducerId (what a broker without IDEMPOTENT_WRITE answers).
 */
final class TransactionHandler implements ApiHandler {

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        return List.of();
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        Errors error = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        if (request instanceof InitProducerIdRequest init && init.data().transactionalId() == null) {
            error = Errors.CLUSTER_AUTHORIZATION_FAILED;
        }
        return new Denial.Respond(request.getErrorResponse(0, error.exception()).data());
    }
}
