package io.portcullis.agent.mesh;

import io.portcullis.agent.AgentConfig;
import io.portcullis.agent.realized.RealizedReporter;
import io.portcullis.agent.state.NodeState;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.mesh.runtime.SequentialReplay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Rebuilds the node's state from the compacted topics, then keeps following them. Topics are replayed one
 * after the other (registrations first, realized last), so what a record refers to is already known when
 * it is replayed; once all have caught up, leftovers of deleted endpoints are dropped, realized records are
 * reported, and the agent is ready. Runs on its own thread: startup does not wait for Kafka.
 */
@ApplicationScoped
public class MeshReplay {

    private static final Logger LOG = Logger.getLogger(MeshReplay.class);

    private final NodeState state;
    private final RealizedReporter reporter;
    private final SequentialReplay replay;
    private volatile boolean replayed;

    public MeshReplay(AgentConfig config, Config kafkaConfig, TopicHandlers handlers, NodeState state,
                      RealizedReporter reporter) {
        this.state = state;
        this.reporter = reporter;
        AgentConfig.Topics t = config.topics();
        SequencedMap<String, Consumer<ConsumerRecord<String, byte[]>>> order = new LinkedHashMap<>();
        order.put(t.endpoints(), handlers::endpoint);
        order.put(t.identities(), handlers::identity);
        order.put(t.ipcache(), handlers::ipcache);
        order.put(t.endpointIdentities(), handlers::endpointIdentity);
        order.put(t.endpointPolicies(), handlers::endpointPolicy);
        order.put(t.realized(), handlers::realized);
        this.replay = new SequentialReplay(KafkaClientConfig.from(kafkaConfig, ConsumerConfig.configNames()), order);
    }

    /** After topic provisioning (which observes StartupEvent first). */
    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().daemon().name("node-agent-replay").start(this::replayAll);
    }

    void onStop(@Observes ShutdownEvent event) {
        replay.close();
    }

    /** Every topic replayed up to where it was when reading began, and none has stopped since. */
    public boolean isReady() {
        return replayed && failure() == null;
    }

    /**
     * The state was rebuilt once. What verdicts need: they keep answering from it whatever happens to
     * Kafka afterwards.
     */
    public boolean isReplayed() {
        return replayed;
    }

    /** The topic being replayed while not ready, else null. */
    public String replaying() {
        return replay.replaying();
    }

    /** Why a topic stopped being read, or null. */
    public String failure() {
        return replay.failure();
    }

    private void replayAll() {
        try {
            if (!replay.replayAll()) {
                return;
            }
        } catch (CompletionException e) {
            LOG.errorf(e.getCause(), "replay of %s failed; node-agent stays not ready", replay.replaying());
            return;
        }
        state.dropUnregistered();
        reporter.activate();
        replayed = true;
        LOG.infof("node %s: state replayed, %d endpoints", state.node(), state.snapshot().endpoints().size());
    }
}
