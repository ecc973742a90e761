package io.portcullis.compiler.mesh;

import io.portcullis.compiler.compile.CompileLoop;
import io.portcullis.compiler.compile.Publication;
import io.portcullis.mesh.MeshJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a flush to the {@code endpoint-policies} channel, in Kafka transactions of at most
 * {@code publish-chunk} records and about {@code publish-chunk-bytes} of encoded values: a node-agent
 * reading {@code read_committed} sees a normal batch whole, and a full flush (every endpoint's map, after a
 * start) never holds more than one chunk's bytes at a time. The fixed transactional id (application.yaml)
 * fences the producer of an older instance. Called only by the compile loop's thread, so no two
 * transactions overlap.
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

    /** One encoded record: key, and value bytes (null: tombstone). */
    private record Encoded(String key, byte[] value) {}

    @Override
    public void publish(Publication publication) {
        int maxRecords = Math.max(1, Math.min(config.publishChunk(), 4096));
        long maxBytes = Math.max(1, config.publishChunkBytes());
        List<Encoded> part = new ArrayList<>();
        long bytes = 0;
        for (Publication.Out o : publication.records()) {
            byte[] value = o.value() == null ? null : MeshJson.encode(o.value());
            part.add(new Encoded(o.key(), value));
            bytes += value == null ? 0 : value.length;
            if (part.size() >= maxRecords || bytes >= maxBytes) {
                send(part);
                part = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!part.isEmpty()) {
            send(part);
        }
    }

    private void send(List<Encoded> part) {
        transactions.withTransaction(tx -> {
            for (Encoded e : part) {
                tx.send(KafkaRecord.of(e.key(), e.value()));
            }
            return Uni.createFrom().voidItem();
        }).await().atMost(config.publishTimeout());
    }
}
