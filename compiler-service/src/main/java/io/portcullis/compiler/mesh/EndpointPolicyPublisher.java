package io.portcullis.compiler.mesh;

import io.portcullis.compiler.compile.CompileLoop;
import io.portcullis.compiler.compile.Publication;
import io.portcullis.mesh.MeshJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a flush to the {@code endpoint-policies} channel, in Kafka transactions of at most
 * {@code publish-chunk} records: a node-agent reading {@code read_committed} sees a normal batch whole.
 * The fixed transactional id (application.yaml) fences the producer of an older instance. Called only by
 * the compile loop's thread, so no two transactions overlap.
 */
@ApplicationScoped
public class EndpointPolicyPublisher implements CompileLoop.Sink {

    private final KafkaTransactions<byte[]> transactions;
    private final CompilerConfig config;

    public EndpointPolicyPublisher(
            @Channel("endpoint-policies") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            KafkaTransactions<byte[]> transactions,
            CompilerConfig config) {
        this.transactions = transactions;
        this.config = config;
    }

    @Override
    public void publish(Publication publication) {
        List<Publication.Out> records = publication.records();
        int chunk = Math.max(1, Math.min(config.publishChunk(), 4096));
        for (int from = 0; from < records.size(); from += chunk) {
            List<Publication.Out> part = records.subList(from, Math.min(records.size(), from + chunk));
            transactions.withTransaction(tx -> {
                for (Publication.Out o : part) {
                    tx.send(KafkaRecord.of(o.key(), o.value() == null ? null : MeshJson.encode(o.value())));
                }
                return Uni.createFrom().voidItem();
            }).await().atMost(config.publishTimeout());
        }
    }
}
