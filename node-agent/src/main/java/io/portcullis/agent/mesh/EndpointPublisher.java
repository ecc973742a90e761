package io.portcullis.agent.mesh;

import io.portcullis.agent.endpoint.Registrations;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Registrations onto the {@code endpoints-out} channel ({@code portcullis.endpoints}). */
@ApplicationScoped
public class EndpointPublisher implements Registrations.Publisher {

    private final Emitter<Record<String, byte[]>> emitter;

    public EndpointPublisher(@Channel("endpoints-out") Emitter<Record<String, byte[]>> emitter) {
        this.emitter = emitter;
    }

    @Override
    public CompletionStage<Void> publish(EndpointRecord record) {
        return emitter.send(Record.of(record.key(), MeshJson.encode(record)));
    }

    @Override
    public CompletionStage<Void> tombstone(String key) {
        return emitter.send(Record.of(key, null));
    }
}
