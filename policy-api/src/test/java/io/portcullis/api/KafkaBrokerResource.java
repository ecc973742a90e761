package io.portcullis.api;

import io.portcullis.mesh.runtime.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Map;

/** A real KRaft broker in the test JVM for the application under test (no Docker, no Dev Services). */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        seed(broker.getAdvertisedListeners());
        return Map.of("kafka.bootstrap.servers", broker.getAdvertisedListeners());
    }

    /** Hook for a resource that needs history on the topics before the application starts. */
    protected void seed(String bootstrapServers) {}

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
