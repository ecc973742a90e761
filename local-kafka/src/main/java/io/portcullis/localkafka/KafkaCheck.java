package io.portcullis.localkafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Smoke check of the local broker with the real Kafka clients: the cluster answers, a topic can be
 * created and listed, one record goes through it, and the topic is deleted again. Used by
 * {@code dev/stack-smoke}.
 *
 * <pre>java -cp 'local-kafka/target/local-kafka.jar:local-kafka/target/lib/*' \
 *     io.portcullis.localkafka.KafkaCheck 127.0.0.1:9092 [topic]</pre>
 *
 * Every call is bounded; exit status 0 when everything worked, 1 otherwise.
 */
public final class KafkaCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private KafkaCheck() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: KafkaCheck <bootstrap servers> [topic]");
            System.exit(2);
        }
        String bootstrap = args[0];
        String topic = args.length > 1 ? args[1] : "portcullis.stack-smoke";
        try {
            run(bootstrap, topic);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("kafka-check: FAILED: " + e);
            System.exit(1);
        }
    }

    private static void run(String bootstrap, String topic) throws Exception {
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        common.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        common.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");

        try (Admin admin = Admin.create(common)) {
            DescribeClusterResult cluster = admin.describeCluster();
            System.out.printf("kafka-check: cluster %s, controller %s, %d broker(s)%n",
                    get(cluster.clusterId()), get(cluster.controller()), get(cluster.nodes()).size());

            try {
                get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all());
                System.out.println("kafka-check: created topic " + topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                System.out.println("kafka-check: topic " + topic + " already exists");
            }
            Set<String> names = get(admin.listTopics().names());
            if (!names.contains(topic)) {
                throw new IllegalStateException("topic " + topic + " is not listed: " + names);
            }
            System.out.println("kafka-check: listed topics " + names);
        }

        String value = "smoke-" + System.nanoTime();
        Properties p = new Properties();
        p.putAll(common);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        long offset;
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            offset = get(producer.send(new ProducerRecord<>(topic, "k", value))).offset();
        }
        System.out.println("kafka-check: produced at offset " + offset);

        Properties c = new Properties();
        c.putAll(common);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (value.equals(r.value())) {
                        System.out.println("kafka-check: consumed it back");
                        deleteTopic(common, topic);
                        return;
                    }
                }
            }
        }
        throw new TimeoutException("record at offset " + offset + " not consumed within " + TIMEOUT);
    }

    private static void deleteTopic(Properties common, String topic) throws Exception {
        try (Admin admin = Admin.create(common)) {
            get(admin.deleteTopics(List.of(topic)).all());
        }
        System.out.println("kafka-check: deleted topic " + topic + ": OK");
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
