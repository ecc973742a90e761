package io.portcullis.mesh.runtime;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Provisions the configured topics when the application starts, before the messaging connector opens
 * its consumers and producers (lower observer priority runs first), so no client can auto-create a topic
 * with broker defaults (for example without compaction). A failure stops the start: a service must not
 * run on topics that would lose its state.
 */
@ApplicationScoped
public class TopicProvisioningStartup {

    private final TopicsConfig topics;
    private final Config config;
    private final boolean enabled;
    private final Duration timeout;

    public TopicProvisioningStartup(TopicsConfig topics, Config config,
            @ConfigProperty(name = "portcullis.topic-provisioning.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "portcullis.topic-provisioning.timeout", defaultValue = "PT30S") Duration timeout) {
        this.topics = topics;
        this.config = config;
        this.enabled = enabled;
        this.timeout = timeout;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!enabled || topics.topics().isEmpty()) {
            return;
        }
        List<TopicSpec> specs = topics.topics().entrySet().stream()
                .map(e -> TopicSpec.of(e.getKey(), e.getValue()))
                .toList();
        var props = KafkaClientConfig.from(config, AdminClientConfig.configNames());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            new TopicProvisioner(admin, timeout).provision(specs);
        }
    }
}
