package io.portcullis.mesh.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays topics one after the other, each to the end it had when its reading began, so that what a
 * record refers to (an endpoint, an identity) is already known when it is replayed; every topic keeps
 * being followed afterwards. Used by node-local readers (node-agent, dns-proxy-service) that fold the same
 * topics in the same order.
 *
 * <p>{@link #replayAll()} runs on the caller's thread; the other methods may be called from any thread.
 */
public final class SequentialReplay implements AutoCloseable {

    private final Map<String, Object> consumerProps;
    private final SequencedMap<String, Consumer<ConsumerRecord<String, byte[]>>> order;
    private final List<TopicReplay> replays = new CopyOnWriteArrayList<>();
    private volatile String replaying;
    private volatile boolean closed;

    /** @param order topic → handler, in replay order */
    public SequentialReplay(Map<String, Object> consumerProps,
                            SequencedMap<String, Consumer<ConsumerRecord<String, byte[]>>> order) {
        this.consumerProps = consumerProps;
        this.order = new LinkedHashMap<>(order);
    }

    /**
     * Blocks until every topic has caught up. Answers false when closed meanwhile; throws
     * {@link CompletionException} (cause: why) when a topic could not be read, leaving
     * {@link #replaying()} at that topic.
     */
    public boolean replayAll() {
        for (var e : order.entrySet()) {
            if (closed) {
                return false;
            }
            replaying = e.getKey();
            TopicReplay replay = new TopicReplay(consumerProps, e.getKey(), e.getValue());
            replays.add(replay);
            replay.start().caughtUp().join();
        }
        replaying = null;
        return !closed;
    }

    /** The topic being replayed, or null once all have caught up (or before the first). */
    public String replaying() {
        return replaying;
    }

    /** Why a topic stopped being read, or null. */
    public String failure() {
        for (TopicReplay r : replays) {
            if (r.failure() != null) {
                return r.failure().toString();
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        replays.forEach(TopicReplay::close);
    }
}
