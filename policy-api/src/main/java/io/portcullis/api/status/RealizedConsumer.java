package io.portcullis.api.status;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.realized.RealizedRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows the {@code realized} channel (the whole topic on every start: its group id is unique per
 * instance and nothing is committed, see application.yaml). Status is informational, so a record this
 * reader cannot decode is logged and skipped rather than stopping the channel.
 */
@ApplicationScoped
public class RealizedConsumer {

    private static final Logger LOG = Logger.getLogger(RealizedConsumer.class);

    private final RealizedState state;

    public RealizedConsumer(RealizedState state) {
        this.state = state;
    }

    /** The plain state as a bean, for the REST views. */
    @Produces
    @Singleton
    static RealizedState realizedState() {
        return new RealizedState();
    }

    @Incoming("realized")
    void onRecord(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            state.remove(record.key());
            return;
        }
        try {
            state.record(MeshJson.decode(record.value(), RealizedRecord.class, RealizedRecord.SCHEMA_VERSION));
        } catch (RuntimeException e) {
            LOG.warnf("skipping realized record %s at offset %d: %s", record.key(), record.offset(), e.getMessage());
        }
    }
}
