package io.portcullis.api.store;

import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.mesh.runtime.TopicReplay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.Config;

/**
 * Rebuilds {@link PolicyState} from the whole {@code policies} topic at start and keeps following it
 * (so a write that timed out but committed later still shows up). Ready only once caught up: before
 * that, reads could miss policies and a write could reuse a revision number. The topic is the
 * {@code policies} channel's, from configuration.
 */
@ApplicationScoped
public class PolicyReplay {

    private final PolicyState state;
    private final Config config;
    private volatile TopicReplay replay;

    public PolicyReplay(PolicyState state, Config config) {
        this.state = state;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        String topic = config.getValue("mp.messaging.outgoing.policies.topic", String.class);
        var props = KafkaClientConfig.from(config, ConsumerConfig.configNames());
        replay = new TopicReplay(props, topic, this::handle).start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (replay != null) {
            replay.close();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            state.remove(record.key());
            return;
        }
        state.apply(MeshJson.decode(record.value(), PolicyEvent.class, PolicyEvent.SCHEMA_VERSION));
    }

    public boolean isReady() {
        TopicReplay r = replay;
        return r != null && r.isCaughtUp();
    }

    /** Why the replay stopped, or {@code null}. */
    public Throwable failure() {
        TopicReplay r = replay;
        return r == null ? null : r.failure();
    }
}
