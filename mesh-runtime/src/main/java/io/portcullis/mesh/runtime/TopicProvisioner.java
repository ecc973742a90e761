package io.portcullis.mesh.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates missing topics with their settings and aligns the settings of existing ones (see
 * {@link TopicPlan}). Idempotent, so every reader and writer of a topic may run it at start.
 */
public final class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    public void provision(Collection<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        try {
            Set<String> existing = get(admin.listTopics().names());
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    create(spec);
                }
            }
            align(specs.stream().filter(s -> existing.contains(s.name())).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot provision Kafka topics "
                    + specs.stream().map(TopicSpec::name).toList() + ": " + e.getMessage(), e);
        }
    }

    private void create(TopicSpec spec) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            get(admin.createTopics(List.of(spec.toNewTopic())).all());
            LOG.infof("created topic %s (%d partitions, replication %d, %s)", spec.name(), spec.partitions(),
                    spec.replicationFactor(), spec.configs());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // another service won the race: fine
                throw e;
            }
        }
    }

    private void align(List<TopicSpec> specs) throws InterruptedException, ExecutionException, TimeoutException {
        if (specs.isEmpty()) {
            return;
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = get(admin.describeTopics(names).allTopicNames());
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all());
        for (TopicSpec spec : specs) {
            TopicDescription d = descriptions.get(spec.name());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Map<String, String> current = configs.get(resource).entries().stream()
                    .filter(e -> e.value() != null)
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
            TopicPlan plan = TopicPlan.of(spec, d.partitions().size(), d.partitions().getFirst().replicas().size(), current);
            plan.warnings().forEach(LOG::warn);
            if (!plan.configChanges().isEmpty()) {
                List<AlterConfigOp> ops = plan.configChanges().entrySet().stream()
                        .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                        .toList();
                get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
                LOG.infof("updated topic %s: %s", spec.name(), plan.configChanges());
            }
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
