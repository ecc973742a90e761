package io.portcullis.identity.mesh;

import io.portcullis.identity.allocation.IdentityCore;
import io.portcullis.policy.labels.EndpointLabels;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the multi-instance Kafka tests share: one real in-JVM broker per test class with the mesh topics
 * in {@link #SLICES} partitions, and loops built exactly as the Quarkus app builds them.
 */
abstract class TwoLoopsOnOneBroker {

    static final int SLICES = 4;
    static final Duration WAIT = Duration.ofSeconds(60);

    static EmbeddedKafkaBroker broker;
    static MeshTopics topics;

    @BeforeAll
    static void start() {
        broker = MeshTopics.startBroker(SLICES);
        topics = new MeshTopics(broker.getAdvertisedListeners());
    }

    @AfterAll
    static void stop() {
        topics.close();
        broker.close();
    }

    /** A started loop on the test broker; {@code grace} is how long an unreferenced identity lives. */
    static IdentityLoop loop(IdentityLoop.Topics names, String group, Duration grace) {
        return new IdentityLoop(new IdentityLoop.Settings(
                Map.of("bootstrap.servers", broker.getAdvertisedListeners()), names, group, Duration.ofMillis(200),
                new IdentityCore.Settings(1, 0, 255, grace, EndpointLabels.defaults()),
                Clock.systemUTC())).start();
    }
}
