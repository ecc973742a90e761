package io.portcullis.identity;

import io.portcullis.mesh.runtime.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Map;

/** A real in-JVM broker for the service's Quarkus tests; the app provisions its topics on start. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile String bootstrap;
    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = TestBroker.start();
        bootstrap = broker.getAdvertisedListeners();
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    /** The running broker's address, for the tests' own clients. */
    public static String bootstrap() {
        return bootstrap;
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
