package io.portcullis.identity.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.identity.allocation.IdentityCore;
import io.portcullis.identity.allocation.IdentitySnapshot;
import io.portcullis.identity.mesh.IdentityLoop;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.LabelFilter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Starts the {@link IdentityLoop} once the topics are provisioned (TopicProvisioningStartup observes the
 * start event earlier) and stops it on shutdown. Registers the gauges.
 */
@ApplicationScoped
public class IdentityService {

    private final IdentityConfig config;
    private final Config mpConfig;
    private final MeterRegistry registry;
    private volatile IdentityLoop loop;

    public IdentityService(IdentityConfig config, Config mpConfig, MeterRegistry registry) {
        this.config = config;
        this.mpConfig = mpConfig;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.remove(ConsumerConfig.GROUP_ID_CONFIG);
        var t = config.topics();
        loop = new IdentityLoop(new IdentityLoop.Settings(
                KafkaClientConfig.from(mpConfig, names),
                new IdentityLoop.Topics(t.endpoints(), t.identities(), t.endpointIdentities(), t.ipcache(), t.owners(),
                        t.fqdnSelections(), t.policies(), t.watermarks()),
                config.groupId(), config.gcInterval(),
                // slices: the loop reads the owners topic's partition count
                new IdentityCore.Settings(1, config.clusterId(), config.maxConnectedClusters(), config.gracePeriod(),
                        new EndpointLabels(LabelFilter.defaults(), config.clusterName())),
                Clock.systemUTC())).start();
        Gauge.builder("portcullis.identities", this, s -> s.snapshot().countReserved()).tag("scope", "reserved")
                .description("identities known, by scope").register(registry);
        Gauge.builder("portcullis.identities", this, s -> s.snapshot().countGlobal()).tag("scope", "global")
                .description("identities known, by scope").register(registry);
        Gauge.builder("portcullis.identities", this, s -> s.snapshot().countLocal()).tag("scope", "local")
                .description("identities known, by scope").register(registry);
        Gauge.builder("portcullis.ipcache.entries", this, s -> s.snapshot().ipcache().size())
                .description("ipcache entries").register(registry);
        Gauge.builder("portcullis.identity.owned.slices", this, s -> s.ownedSlices().size())
                .description("ownership slices this instance allocates for").register(registry);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    public IdentitySnapshot snapshot() {
        IdentityLoop l = loop;
        return l == null ? IdentitySnapshot.EMPTY : l.snapshot();
    }

    public Set<Integer> ownedSlices() {
        IdentityLoop l = loop;
        return l == null ? Set.of() : l.ownedSlices();
    }

    public boolean isReady() {
        IdentityLoop l = loop;
        return l != null && l.isReady();
    }

    public boolean isAlive() {
        IdentityLoop l = loop;
        return l == null || l.isAlive();
    }

    /** Why the loop stopped, or null. */
    public Throwable failure() {
        IdentityLoop l = loop;
        return l == null ? null : l.failure();
    }
}
