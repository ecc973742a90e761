package io.portcullis.agent.state;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Futures that complete when the node state reaches a condition: a registration waiting for its identity,
 * a deregistration waiting for its tombstone to come back from the topic. Thread-safe: a waiter is added
 * before the current snapshot is checked, so a change between the two is never missed.
 */
public final class StateWaiters {

    private record Waiter<T>(Function<NodeSnapshot, T> condition, CompletableFuture<T> future) {
        void check(NodeSnapshot s) {
            T value = condition.apply(s);
            if (value != null) {
                future.complete(value);
            }
        }
    }

    private final NodeState state;
    private final Set<Waiter<?>> waiters = ConcurrentHashMap.newKeySet();

    public StateWaiters(NodeState state) {
        this.state = state;
        state.onChange(this::checkAll);
    }

    /**
     * Completes with the condition's first non-null value, or exceptionally with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     */
    public <T> CompletableFuture<T> await(Function<NodeSnapshot, T> condition, Duration timeout) {
        Waiter<T> w = new Waiter<>(condition, new CompletableFuture<>());
        waiters.add(w);
        w.future().whenComplete((v, e) -> waiters.remove(w));
        w.check(state.snapshot());
        w.future().orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return w.future();
    }

    int pending() {
        return waiters.size();
    }

    private void checkAll() {
        NodeSnapshot s = state.snapshot();
        waiters.forEach(w -> w.check(s));
    }
}
