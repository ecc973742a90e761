package io.portcullis.compiler.mesh;

import io.portcullis.mesh.runtime.TestBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One real in-JVM broker for every test application of this module, kept across Quarkus restarts (a
 * profile change restarts the application, and the restart test needs the topics the earlier run wrote),
 * closed when the JVM exits. Its address lives in a system property because each application start
 * loads this class afresh.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    static final String BOOTSTRAP = "compiler.test.bootstrap";
    /** The end offset of the output topic when the current application started. */
    static final String OUTPUT_OFFSET_AT_START = "compiler.test.output-offset-at-start";
    static final String OUTPUT = "portcullis.endpoint-policies";

    /** An endpoint key to delete (endpoint and endpoint-identity tombstones) before the application starts. */
    private String deleteBeforeStart;

    @Override
    public void init(Map<String, String> initArgs) {
        deleteBeforeStart = initArgs.get("delete-before-start");
    }

    @Override
    public synchronized Map<String, String> start() {
        String bootstrap = System.getProperty(BOOTSTRAP);
        if (bootstrap == null) {
            EmbeddedKafkaBroker broker = TestBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            bootstrap = broker.getAdvertisedListeners();
            System.setProperty(BOOTSTRAP, bootstrap);
        }
        if (deleteBeforeStart != null) {
            try (Topics topics = new Topics()) {
                topics.send("portcullis.endpoint-identities", deleteBeforeStart, null);
                topics.send("portcullis.endpoints", deleteBeforeStart, null);
            }
        }
        System.setProperty(OUTPUT_OFFSET_AT_START, Long.toString(outputEndOffset(bootstrap)));
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    private static long outputEndOffset(String bootstrap) {
        try (var c = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = c.listTopics().get(OUTPUT);
            if (infos == null) {
                return 0;
            }
            return c.endOffsets(infos.stream().map(p -> new TopicPartition(OUTPUT, p.partition())).toList())
                    .values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Override
    public void stop() {
        // the broker outlives this application: see the class comment
    }
}
