package io.portcullis.agent.endpoint;

import io.portcullis.agent.rest.ApiException;
import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import io.portcullis.agent.state.NodeState;
import io.portcullis.agent.state.StateWaiters;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.ip.IpAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Registering and deregistering local endpoints. The topic is the truth: a registration is done when this
 * node has read its own record back and identity-service's identity for it; a deregistration when its
 * tombstone is back. So the answer always agrees with what {@code GET} and verdicts see, and with what a
 * restarted agent rebuilds.
 *
 * <p>Idempotent: posting an endpoint that is registered with the same spec publishes nothing and answers
 * with it ({@code created == false}); with a different spec it is a conflict (delete it first).
 *
 * <p><b>Concurrency contract:</b> requests for one id are serialized on a lock stripe (held while waiting,
 * so a second request sees the outcome of the first); different ids proceed in parallel.
 */
public final class Registrations {

    /** Where registrations go: the {@code endpoints} topic. Completion means the broker has the record. */
    public interface Publisher {
        CompletionStage<?> publish(EndpointRecord record);

        CompletionStage<?> tombstone(String key);
    }

    /** @param created false when the endpoint was already registered with this spec */
    public record Outcome(boolean created, LocalEndpoint endpoint) {}

    private final NodeState state;
    private final StateWaiters waiters;
    private final Publisher publisher;
    private final Duration timeout;
    private final BooleanSupplier ready;
    private final Object[] stripes = new Object[64];

    public Registrations(NodeState state, StateWaiters waiters, Publisher publisher, Duration timeout,
                         BooleanSupplier ready) {
        this.state = state;
        this.waiters = waiters;
        this.publisher = publisher;
        this.timeout = timeout;
        this.ready = ready;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    public Outcome register(EndpointRecord spec) {
        requireReady();
        String id = spec.id();
        synchronized (stripe(id)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            NodeSnapshot now = state.snapshot();
            LocalEndpoint current = now.endpoint(id);
            if (current != null && !current.spec().equals(spec)) {
                throw new ApiException(409, "endpoint " + id + " is registered with a different spec;"
                        + " DELETE /v1/endpoints/" + id + " first");
            }
            for (String ip : spec.ips()) {
                LocalEndpoint owner = now.endpointAt(IpAddress.parse(ip));
                if (owner != null && !owner.id().equals(id)) {
                    throw new ApiException(409, "address " + ip + " belongs to endpoint " + owner.id());
                }
            }
            if (current != null && current.identity() != null) {
                return new Outcome(false, current);
            }
            if (current == null) {
                String what = "publishing endpoint " + id;
                await(send(() -> publisher.publish(spec), what), deadline, what);
            }
            LocalEndpoint registered = await(waiters.await(s -> {
                LocalEndpoint e = s.endpoint(id);
                return e != null && e.spec().equals(spec) && e.identity() != null ? e : null;
            }, remaining(deadline)), deadline, "endpoint " + id + " is registered, but waiting for its identity"
                    + " from identity-service");
            return new Outcome(current == null, registered);
        }
    }

    public void deregister(String id) {
        requireReady();
        synchronized (stripe(id)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            LocalEndpoint current = state.snapshot().endpoint(id);
            if (current == null) {
                throw notFound(id);
            }
            String what = "publishing the removal of endpoint " + id;
            await(send(() -> publisher.tombstone(current.spec().key()), what), deadline, what);
            await(waiters.await(s -> s.endpoint(id) == null ? Boolean.TRUE : null, remaining(deadline)), deadline,
                    "endpoint " + id + " removal is published, but waiting to read it back");
        }
    }

    public static ApiException notFound(String id) {
        return new ApiException(404, "no endpoint " + id + " on this node");
    }

    private void requireReady() {
        if (!ready.getAsBoolean()) {
            throw new ApiException(503, "node-agent is still replaying its state from Kafka; retry shortly");
        }
    }

    /** The publisher may also refuse at once (emitter buffer full, channel down): that is a 503 too. */
    private static CompletableFuture<?> send(Supplier<CompletionStage<?>> publish, String what) {
        try {
            return publish.get().toCompletableFuture();
        } catch (RuntimeException e) {
            throw new ApiException(503, what + " failed: " + e.getMessage());
        }
    }

    private <T> T await(CompletableFuture<T> future, long deadline, String what) {
        try {
            return future.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut(what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw timedOut(what);
            }
            throw new ApiException(503, what + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, what + ": interrupted");
        }
    }

    private ApiException timedOut(String what) {
        return new ApiException(504, what + ": no answer within " + timeout);
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private Object stripe(String id) {
        return stripes[Math.floorMod(id.hashCode(), stripes.length)];
    }
}
