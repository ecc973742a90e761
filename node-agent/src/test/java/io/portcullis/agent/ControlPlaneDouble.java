package io.portcullis.agent;

import io.portcullis.agent.mesh.TopicHandlers;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The shared control-plane double (test-support), plus feeding records to node-agent's topic handlers. */
public final class ControlPlaneDouble extends io.portcullis.testsupport.mesh.ControlPlaneDouble {

    public ControlPlaneDouble(String node) {
        super(node);
    }

    /** Hands records to the agent's topic handlers, as the replays would. */
    public static void feed(TopicHandlers handlers, List<MeshRecord> records) {
        for (MeshRecord r : records) {
            ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(r.topic(), 0, 0, r.key(), r.value());
            switch (r.topic()) {
                case ENDPOINTS -> handlers.endpoint(c);
                case IDENTITIES -> handlers.identity(c);
                case IPCACHE -> handlers.ipcache(c);
                case ENDPOINT_IDENTITIES -> handlers.endpointIdentity(c);
                case ENDPOINT_POLICIES -> handlers.endpointPolicy(c);
                case REALIZED -> handlers.realized(c);
                default -> throw new IllegalArgumentException(r.topic());
            }
        }
    }
}
