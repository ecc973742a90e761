package io.portcullis.compiler.mesh;

import io.portcullis.compiler.compile.Change;
import io.portcullis.compiler.compile.CompileLoop;
import io.portcullis.compiler.compile.DesiredState;
import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.MeshJson;
import io.portcullis.mesh.compiled.EndpointPolicyRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.mesh.runtime.KafkaClientConfig;
import io.portcullis.mesh.runtime.TopicReplay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Wires the compile loop to Kafka: one {@link TopicReplay} per input topic hands decoded records to the
 * loop (the only writer of compiler state); once every input is replayed to its end, and the keys already
 * on the output topic are known (so stale ones get tombstones), the loop compiles and publishes everything,
 * and the service becomes ready.
 */
@ApplicationScoped
public class CompilerService {

    private static final Logger LOG = Logger.getLogger(CompilerService.class);

    private final CompilerConfig config;
    private final Config mpConfig;
    private final EndpointPolicyPublisher publisher;
    private final CompilerMetrics metrics;
    private volatile List<TopicReplay> inputs = List.of();
    private volatile CompileLoop loop;
    private volatile TopicReplay output;

    public CompilerService(CompilerConfig config, Config mpConfig, EndpointPolicyPublisher publisher,
            CompilerMetrics metrics) {
        this.config = config;
        this.mpConfig = mpConfig;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        CompilerConfig.Inputs in = config.inputs();
        loop = new CompileLoop(publisher, metrics, config.coalesceQuiet(), config.coalesceMaxDelay(),
                in.identityWatermarks().isPresent()).start();
        Map<String, Object> props = KafkaClientConfig.from(mpConfig, ConsumerConfig.configNames());
        List<TopicReplay> replays = new ArrayList<>();
        in.identityWatermarks().ifPresent(topic -> {
            CompileLoop l = loop;
            replays.add(new TopicReplay(props, topic, r -> {
                if (r.value() != null && r.key() != null && r.key().startsWith(IdentityWatermarkRecord.KEY_PREFIX)) {
                    l.submit(MeshJson.decode(r.value(), IdentityWatermarkRecord.class, IdentityWatermarkRecord.SCHEMA_VERSION));
                }
            }).start());
        });
        follow(replays, props, in.policies(), r -> new Change.Policy(r.key(),
                r.value() == null ? null : MeshJson.decode(r.value(), PolicyEvent.class, PolicyEvent.SCHEMA_VERSION)));
        follow(replays, props, in.identities(), NodeRevisionRecord.IDENTITIES, r -> new Change.Identity(Long.parseLong(r.key()),
                r.value() == null ? null : MeshJson.decode(r.value(), IdentityRecord.class, IdentityRecord.SCHEMA_VERSION)));
        follow(replays, props, in.endpoints(), r -> new Change.Endpoint(r.key(),
                r.value() == null ? null : MeshJson.decode(r.value(), EndpointRecord.class, EndpointRecord.SCHEMA_VERSION)));
        follow(replays, props, in.endpointIdentities(), r -> new Change.EndpointIdentity(r.key(), r.value() == null ? null
                : MeshJson.decode(r.value(), EndpointIdentityRecord.class, EndpointIdentityRecord.SCHEMA_VERSION)));
        follow(replays, props, in.ipcache(), NodeRevisionRecord.IPCACHE, r -> new Change.IpCache(r.key(),
                r.value() == null ? null : MeshJson.decode(r.value(), IpCacheRecord.class, IpCacheRecord.SCHEMA_VERSION)));
        inputs = List.copyOf(replays);
        CompileLoop l = loop;
        output = new TopicReplay(props, outputTopic(), r -> l.submit(new Change.Published(r.key(), r.value() != null,
                previousRecord(r)))).start();

        List<CompletableFuture<Void>> all = new ArrayList<>(inputs.stream().map(TopicReplay::caughtUp).toList());
        all.add(output.caughtUp());
        // Async: a replay completes caughtUp on its own thread, which must not close itself.
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
            output.close(); // our own writes need not come back: the compiler knows them
            LOG.info("inputs replayed; compiling");
            l.startCompiling();
        });
    }

    private void follow(List<TopicReplay> replays, Map<String, Object> props, String topic,
            Function<ConsumerRecord<String, byte[]>, Change> decode) {
        CompileLoop l = loop;
        replays.add(new TopicReplay(props, topic, r -> l.submit(decode.apply(r))).start());
    }

    /** Also tells the loop how far this identity input was consumed (node watermarks carry it). */
    private void follow(List<TopicReplay> replays, Map<String, Object> props, String topic, String input,
            Function<ConsumerRecord<String, byte[]>, Change> decode) {
        CompileLoop l = loop;
        replays.add(new TopicReplay(props, topic, r -> {
            l.submit(decode.apply(r));
            l.submit(new Change.InputOffset(input, r.partition(), r.offset() + 1));
        }).start());
    }

    /** An endpoint record of an earlier run; null for watermarks, tombstones and what no longer decodes. */
    private static EndpointPolicyRecord previousRecord(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null || NodeRevisionRecord.isKey(r.key())) {
            return null;
        }
        try {
            return MeshJson.decode(r.value(), EndpointPolicyRecord.class, EndpointPolicyRecord.SCHEMA_VERSION);
        } catch (RuntimeException e) { // written by another version: it is replaced anyway
            LOG.warnf("cannot decode the earlier record of %s, it will be replaced: %s", r.key(), e.getMessage());
            return null;
        }
    }

    private String outputTopic() {
        return mpConfig.getValue("mp.messaging.outgoing.endpoint-policies.topic", String.class);
    }

    void onStop(@Observes ShutdownEvent event) {
        inputs.forEach(TopicReplay::close);
        if (output != null) {
            output.close();
        }
        if (loop != null) {
            loop.close();
        }
    }

    /** The last published desired state (empty before start). */
    public DesiredState state() {
        CompileLoop l = loop;
        return l == null ? DesiredState.EMPTY : l.state();
    }

    public boolean isReady() {
        CompileLoop l = loop;
        return l != null && l.ready().isDone() && !l.ready().isCompletedExceptionally() && failure() == null;
    }

    /** Why an input, the output scan or the loop stopped, or null. */
    public String failure() {
        for (TopicReplay r : inputs) {
            if (r.failure() != null) {
                return "reading input stopped: " + r.failure().getMessage();
            }
        }
        TopicReplay o = output;
        if (o != null && o.failure() != null && !o.isCaughtUp()) {
            return "reading the output topic failed: " + o.failure().getMessage();
        }
        CompileLoop l = loop;
        return l != null && l.failure() != null ? "compile loop stopped: " + l.failure() : null;
    }

    /** Policy changes waiting for identity-service's watermarks (for the readiness data). */
    public int heldPolicies() {
        CompileLoop l = loop;
        return l == null ? 0 : l.heldPolicies();
    }

    /** Inputs still replaying (for the readiness data). */
    public long replaying() {
        return inputs.stream().filter(r -> !r.isCaughtUp()).count();
    }
}
