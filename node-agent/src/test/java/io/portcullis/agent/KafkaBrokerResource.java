package io.portcullis.agent;

import io.portcullis.mesh.runtime.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Map;

/**
 * A real KRaft broker in the test JVM for the application under test (no Docker, no Dev Services). The
 * running broker is reachable statically so a test can stop it (fail-static) or talk to it.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        seed();
        return Map.of("kafka.bootstrap.servers", broker.getAdvertisedListeners());
    }

    /** Hook for a resource that puts history on the topics before the application starts. */
    protected void seed() {}

    public static String bootstrapServers() {
        return broker.getAdvertisedListeners();
    }

    /** Stops the broker now (idempotent); the application keeps running without it. */
    public static void stopBroker() {
        EmbeddedKafkaBroker b = broker;
        if (b != null) {
            broker = null;
            b.close();
        }
    }

    @Override
    public void stop() {
        stopBroker();
    }
}
