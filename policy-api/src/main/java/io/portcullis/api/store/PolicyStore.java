package io.portcullis.api.store;

import io.portcullis.api.store.PolicyState.Stored;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.ObjectMeta;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Applies validated policies: assigns the revision and the server-set metadata, publishes, and only
 * then changes {@link PolicyState}. One request is one revision; writes are serialized because this
 * instance is the single writer of the {@code policies} topic (a second one would hand out the same
 * revision numbers; the transactional id fences an older instance's producer).
 *
 * <p>{@code metadata.resourceVersion} is the revision the object was last stored at, as a string;
 * {@code metadata.generation} counts spec changes. Content that equals what is stored (spec(s),
 * labels, annotations) is not written again and keeps its revision.
 */
public final class PolicyStore {

    /**
     * The outcome of a write: the revision at which the request's content is stored, the objects, and
     * how many of them were written (0 when everything was already stored as is).
     */
    public record Result(long revision, List<Stored> items, int written) {}

    private final PolicyState state;
    private final PolicyPublisher publisher;
    private final Clock clock;
    private final Supplier<String> uids;
    private final BooleanSupplier ready;
    private final ReentrantLock writes = new ReentrantLock();

    /** {@code ready}: whether the state has been rebuilt from the topic; nothing is served before. */
    public PolicyStore(PolicyState state, PolicyPublisher publisher, Clock clock, Supplier<String> uids,
            BooleanSupplier ready) {
        this.state = state;
        this.publisher = publisher;
        this.clock = clock;
        this.uids = uids;
        this.ready = ready;
    }

    /** Creates or replaces every policy (keys must be distinct), all or none. */
    public Result apply(List<CiliumPolicy> policies) {
        requireReady();
        writes.lock();
        try {
            long next = state.nextRevision();
            List<PolicyEvent> events = new ArrayList<>();
            List<Stored> items = new ArrayList<>();
            for (CiliumPolicy p : policies) {
                Optional<Stored> current = state.get(p.key());
                if (current.isPresent() && sameContent(current.get().policy(), p)) {
                    items.add(current.get());
                } else {
                    CiliumPolicy stored = toStore(p, current.map(Stored::policy).orElse(null), next);
                    events.add(PolicyEvent.Applied.of(next, stored));
                    items.add(new Stored(stored, next));
                }
            }
            // Every record says how many the revision has, so readers never take half of it for all of it.
            int size = events.size();
            events.replaceAll(e -> ((PolicyEvent.Applied) e).withRevisionSize(size));
            publishAndApply(events);
            long revision = events.isEmpty() ? items.stream().mapToLong(Stored::revision).max().orElse(state.revision()) : next;
            return new Result(revision, List.copyOf(items), events.size());
        } finally {
            writes.unlock();
        }
    }

    /**
     * Replaces an existing policy. A non-empty {@code metadata.resourceVersion} on the new object is a
     * precondition: it must be the stored one.
     */
    public Result update(CiliumPolicy policy) {
        requireReady();
        writes.lock();
        try {
            Stored current = state.get(policy.key()).orElseThrow(() -> notFound(policy.key()));
            String expected = policy.metadata().resourceVersion();
            if (expected != null && !expected.isEmpty() && !expected.equals(current.policy().metadata().resourceVersion())) {
                throw new StoreException.Conflict("Operation cannot be fulfilled on " + policy.key()
                        + ": the object has been modified (resourceVersion " + expected + " is not the current "
                        + current.policy().metadata().resourceVersion() + "); apply your changes to the latest version");
            }
            return apply(List.of(policy));
        } finally {
            writes.unlock();
        }
    }

    /** Deletes a policy; the deletion is a revision of its own. */
    public long delete(String key) {
        requireReady();
        writes.lock();
        try {
            state.get(key).orElseThrow(() -> notFound(key));
            long next = state.nextRevision();
            publishAndApply(List.of(PolicyEvent.Deleted.of(next, key)));
            return next;
        } finally {
            writes.unlock();
        }
    }

    public Optional<Stored> get(String key) {
        requireReady();
        return state.get(key);
    }

    public List<Stored> list() {
        requireReady();
        return state.list();
    }

    /** The highest revision stored. */
    public long revision() {
        return state.revision();
    }

    private void publishAndApply(List<PolicyEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        state.reserve(events.getFirst().revision());
        try {
            publisher.publish(events);
        } catch (PolicyPublisher.PublishFailedException e) {
            throw new StoreException.Unavailable("the change could not be stored, nothing was applied: " + e.getMessage(), e);
        }
        events.forEach(state::apply);
    }

    private CiliumPolicy toStore(CiliumPolicy p, CiliumPolicy previous, long revision) {
        ObjectMeta m = p.metadata();
        ObjectMeta meta;
        if (previous == null) {
            String created = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
            meta = m.withServerFields(uids.get(), Long.toString(revision), 1L, created);
        } else {
            ObjectMeta old = previous.metadata();
            long generation = sameSpec(previous, p) ? old.generation() : old.generation() + 1;
            meta = m.withServerFields(old.uid(), Long.toString(revision), generation, old.creationTimestamp());
        }
        // status is the server's view, computed on read; it is never stored.
        return new CiliumPolicy(p.apiVersion(), p.kind(), meta, p.spec(), p.specs(), null);
    }

    static boolean sameContent(CiliumPolicy stored, CiliumPolicy incoming) {
        return sameSpec(stored, incoming)
                && Objects.equals(orEmpty(stored.metadata().labels()), orEmpty(incoming.metadata().labels()))
                && Objects.equals(orEmpty(stored.metadata().annotations()), orEmpty(incoming.metadata().annotations()));
    }

    private static boolean sameSpec(CiliumPolicy a, CiliumPolicy b) {
        return Objects.equals(a.spec(), b.spec()) && Objects.equals(orEmpty(a.specs()), orEmpty(b.specs()));
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    private void requireReady() {
        if (!ready.getAsBoolean()) {
            throw new StoreException.Unavailable("the policy state is still being rebuilt from Kafka", null);
        }
    }

    private static StoreException.NotFound notFound(String key) {
        return new StoreException.NotFound("policy " + key + " not found");
    }
}
