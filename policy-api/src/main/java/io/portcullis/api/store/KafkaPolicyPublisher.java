package io.portcullis.api.store;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.policy.PolicyEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes one request's events to the {@code policies} channel in one Kafka transaction: readers use
 * {@code read_committed}, so they see the whole revision or nothing of it, and the returned call means
 * the broker committed every record. The channel's topic and producer settings are in application.yaml.
 */
@ApplicationScoped
public class KafkaPolicyPublisher implements PolicyPublisher {

    private final KafkaTransactions<byte[]> transactions;
    private final Duration timeout;

    public KafkaPolicyPublisher(@Channel("policies") KafkaTransactions<byte[]> transactions,
            @ConfigProperty(name = "portcullis.policy-api.publish-timeout", defaultValue = "PT30S") Duration timeout) {
        this.transactions = transactions;
        this.timeout = timeout;
    }

    @Override
    public void publish(List<PolicyEvent> events) {
        try {
            transactions.withTransaction(tx -> {
                events.forEach(e -> tx.send(KafkaRecord.of(e.key(), MeshJson.encode(e))));
                return Uni.createFrom().voidItem();
            }).await().atMost(timeout);
        } catch (RuntimeException e) {
            // Aborted, refused (another transaction still open after a timeout) or timed out.
            throw new PublishFailedException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }
}
