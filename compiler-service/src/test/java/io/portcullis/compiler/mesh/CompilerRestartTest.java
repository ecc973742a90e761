package io.portcullis.compiler.mesh;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A new application (another profile) on the broker {@link CompilerKafkaTest} left behind, which is how a
 * killed and restarted compiler finds it; one endpoint was deleted while it was "down". The rebuilt state it
 * publishes must be what was there, minus that endpoint. Runs after {@link CompilerKafkaTest}: Quarkus runs
 * profile-less classes first (and @Order within, see src/test/resources/application.properties).
 */
@QuarkusTest
@TestProfile(CompilerRestartTest.Restarted.class)
@Order(2)
class CompilerRestartTest {

    static final String DELETED = CompilerKafkaTest.STARWARS_NODE_2 + "/default/xwing";

    /** A profile of its own makes Quarkus start a fresh application; small transactions exercise chunking. */
    public static class Restarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.compiler.publish-chunk", "3");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class, Map.of("delete-before-start", DELETED)));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void rebuildsFromTheTopicsAndPublishesTheSameStateMinusWhatWasDeletedMeanwhile() throws Exception {
        long restartedAt = Long.parseLong(System.getProperty(KafkaBrokerResource.OUTPUT_OFFSET_AT_START));
        assertThat(restartedAt).as("CompilerKafkaTest ran first and published").isPositive();
        awaitReady();

        List<ConsumerRecord<String, byte[]>> all = new Topics().output();
        Map<String, Object> before = new HashMap<>();
        all.stream().filter(r -> r.offset() < restartedAt).forEach(r -> before.put(r.key(), Topics.decode(r)));
        Map<String, Object> after = Topics.latest(all, 0);
        Map<String, Object> republished = Topics.latest(all, restartedAt);

        Map<String, Object> expected = new HashMap<>(before);
        expected.put(DELETED, null);
        expected.put(CompilerKafkaTest.STARWARS_NODE_2 + "/*", null);
        assertThat(after).isEqualTo(expected);
        assertThat(before.get(DELETED)).isNotNull();
        // Everything still desired was published again, every stale key got its tombstone.
        assertThat(republished.keySet()).containsAll(before.entrySet().stream()
                .filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList());
    }

    private static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
