package io.portcullis.kafkaproxy.api;

import io.portcullis.kafkaproxy.TopicIds;
import io.portcullis.kafkaproxy.spi.KafkaDecision;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/**
 * Group membership and coordination (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * DescribeGroups, DeleteGroups, ConsumerGroupHeartbeat, …): no topics; denied → GROUP_AUTHORIZATION_FAILED
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for a FindCoordinator of a transaction coordinator).
 */
final class GroupHandler implements ApiHandler {

    @Override
    public List<String> topics(AbstractRequest request, TopicIds ids) {
        return List.of();
    }

    @Override
    public Denial deny(AbstractRequest request, KafkaDecision decision) {
        Errors error = Errors.GROUP_AUTHORIZATION_FAILED;
        if (request instanceof FindCoordinatorRequest fc
                && fc.data().keyType() == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id()) {
            error = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return new Denial.Respond(request.getErrorResponse(0, error.exception()).data());
    }
}
