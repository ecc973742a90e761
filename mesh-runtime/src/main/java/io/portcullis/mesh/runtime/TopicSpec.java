package io.portcullis.mesh.runtime;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** One topic as a service wants it. {@code configs} are Kafka topic-level settings by name. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication-factor must be at least 1");
        }
        configs = Map.copyOf(configs);
    }

    public static TopicSpec of(String name, TopicsConfig.Topic topic) {
        Map<String, String> configs = new TreeMap<>(topic.config());
        topic.cleanupPolicy().ifPresent(p -> configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, p));
        return new TopicSpec(name, topic.partitions(), topic.replicationFactor(), configs);
    }

    NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
