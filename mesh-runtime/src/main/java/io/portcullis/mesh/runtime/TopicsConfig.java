package io.portcullis.mesh.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * The topics a service makes sure exist, keyed by topic name:
 * <pre>
 * portcullis.topics."portcullis.policies".partitions=3
 * portcullis.topics."portcullis.policies".replication-factor=3
 * portcullis.topics."portcullis.policies".cleanup-policy=compact
 * portcullis.topics."portcullis.policies".config."min.insync.replicas"=2
 * </pre>
 */
@ConfigMapping(prefix = "portcullis.topics")
public interface TopicsConfig {

    @WithParentName
    Map<String, Topic> topics();

    interface Topic {

        @WithDefault("1")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** {@code compact} for keyed state topics, {@code delete} for streams. */
        Optional<String> cleanupPolicy();

        /** Any other topic-level setting, by its Kafka name. */
        Map<String, String> config();
    }
}
