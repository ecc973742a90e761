package io.portcullis.dnsproxy.mesh;

import io.portcullis.dnsproxy.ProxyConfig;
import io.portcullis.dnsproxy.rules.RuleState;
import io.portcullis.dnsproxy.rules.RuleTopics;
import io.portcullis.dnsproxy.rules.RulesView;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.mesh.runtime.SequentialReplay;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Where the proxy's rules come from. At start the snapshot (if any) is restored and served at once; in the
 * background the topics are replayed into a fresh state, read_committed from their beginning, one after the
 * other as node-agent does, and once every one has caught up the fresh state replaces the restored one
 * (records deleted while the proxy was down are gone from it) and keeps following the topics. Every
 * change is written to the snapshot, at most once per interval.
 */
public final class RulesReplay {

    private static final Logger LOG = Logger.getLogger(RulesReplay.class);

    private final String node;
    private final RuleTopics topics;
    private final SnapshotStore store;
    private final long snapshotIntervalMs;
    /** Built from Kafka in the background; served once every topic has caught up. */
    private final RuleState live;
    private final SequentialReplay replay;
    private volatile RuleState serving;
    private volatile boolean restored;
    private volatile boolean replayed;
    private volatile boolean stopping;
    private Thread thread;

    public RulesReplay(String node, ProxyConfig config, Config kafkaConfig) {
        this.node = node;
        ProxyConfig.Topics t = config.topics();
        this.topics = new RuleTopics(t.endpoints(), t.identities(), t.ipcache(), t.endpointIdentities(), t.endpointPolicies());
        this.store = new SnapshotStore(Path.of(config.stateDir()), node);
        this.snapshotIntervalMs = config.snapshotInterval().toMillis();
        this.serving = new RuleState(node, topics);
        this.live = new RuleState(node, topics);
        SequencedMap<String, Consumer<ConsumerRecord<String, byte[]>>> order = new LinkedHashMap<>();
        for (String topic : topics.inOrder()) {
            order.put(topic, r -> live.apply(topic, r.key(), r.value()));
        }
        this.replay = new SequentialReplay(KafkaClientConfig.from(kafkaConfig, ConsumerConfig.configNames()), order);
    }

    /** Restores the snapshot (synchronously: it is what the proxy serves from its first query). */
    public void restore() {
        RuleState s = new RuleState(node, topics);
        if (store.restore(s)) {
            serving = s;
            restored = true;
            LOG.infof("node %s: serving %d endpoint addresses from snapshot %s until Kafka is replayed", node,
                    s.view().endpointAddresses(), store.file());
        }
    }

    /** Starts the replay thread (returns at once: serving does not wait for Kafka). */
    public void start() {
        thread = Thread.ofPlatform().daemon().name("dns-proxy-replay").start(this::run);
    }

    public void stop() {
        stopping = true;
        replay.close();
        if (thread != null) {
            thread.interrupt();
        }
    }

    public RulesView view() {
        return serving.view();
    }

    public boolean isRestored() {
        return restored;
    }

    public boolean isReplayed() {
        return replayed;
    }

    public String replaying() {
        return replay.replaying();
    }

    public String failure() {
        return replay.failure();
    }

    private void run() {
        try {
            if (!replay.replayAll()) {
                return;
            }
        } catch (CompletionException e) {
            LOG.errorf(e.getCause(), "replay of %s failed; serving the %s rules", replay.replaying(),
                    restored ? "restored" : "(empty)");
            return;
        }
        serving = live;
        replayed = true;
        LOG.infof("node %s: rules replayed from Kafka, %d endpoint addresses", node, live.view().endpointAddresses());
        long written = -1;
        while (!stopping) {
            long version = live.version();
            if (version != written) {
                try {
                    store.write(live);
                    written = version;
                } catch (Exception e) {
                    LOG.warnf(e, "could not write the rules snapshot %s", store.file());
                }
            }
            try {
                Thread.sleep(snapshotIntervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
