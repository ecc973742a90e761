package io.portcullis.mesh.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads a whole keyed topic from its beginning, says when it has caught up with the end offsets it saw
 * at start (the moment a service may report ready), then keeps following it. Uses no consumer group:
 * every instance needs every partition, and nothing is committed because each start replays all.
 * Reads only committed transactions, so a writer's aborted or still-open batch is never seen.
 *
 * <p>The partitions are those the topic has at start. If the handler throws, reading stops and
 * {@link #failure()} says why: skipping a record would silently lose state.
 */
public final class TopicReplay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicReplay.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** {@code clientProps}: connection settings (bootstrap servers, security); the rest is set here. */
    public TopicReplay(Map<String, Object> clientProps, String topic, Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.topic = topic;
        this.handler = handler;
        Map<String, Object> props = new HashMap<>(clientProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = Thread.ofPlatform().daemon().name("replay-" + topic).unstarted(this::run);
    }

    public TopicReplay start() {
        thread.start();
        return this;
    }

    /** Completes once every record that was committed when reading began has been handled. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    public boolean isCaughtUp() {
        return caughtUp.isDone() && !caughtUp.isCompletedExceptionally();
    }

    /** Why reading stopped, or {@code null} while it runs. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Under read_committed these are the last stable offsets: the end of what is committed now.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            checkCaughtUp(end);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    handler.accept(r);
                }
                if (!caughtUp.isDone()) {
                    checkCaughtUp(end);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (true) {
            try {
                var infos = consumer.partitionsFor(topic);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                LOG.infof("waiting for topic %s to exist", topic);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("waiting for Kafka to describe topic %s: %s", topic, e.getMessage());
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }

    private void checkCaughtUp(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        LOG.infof("replayed topic %s up to %s", topic, end.values());
        caughtUp.complete(null);
    }

    private void fail(Throwable e) {
        failure = e;
        caughtUp.completeExceptionally(e);
        LOG.errorf(e, "stopped reading topic %s", topic);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread.isAlive()) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO); // never started
        }
    }
}
