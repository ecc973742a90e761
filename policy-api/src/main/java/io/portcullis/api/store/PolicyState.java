package io.portcullis.api.store;

import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.CiliumPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The stored policies as the {@code policies} topic describes them, and the revision counter.
 * Events may arrive more than once and, across partitions, out of revision order (the writer applies
 * its own events, then the replay sees them again), so an event only counts when its revision is newer
 * than the last one seen for its key; records of one key share a partition and so keep their order.
 * Thread-safe.
 */
public final class PolicyState {

    /** A policy with the revision it was stored at. */
    public record Stored(CiliumPolicy policy, long revision) {}

    private final Map<String, Stored> policies = new TreeMap<>();
    /** The last revision per key, deletions included, so a late duplicate cannot resurrect a policy. */
    private final Map<String, Long> lastRevision = new HashMap<>();
    private long maxRevision;
    private long reserved;

    /** Applies an event from the topic or from a committed write; false when it was already known. */
    public synchronized boolean apply(PolicyEvent event) {
        maxRevision = Math.max(maxRevision, event.revision());
        Long last = lastRevision.get(event.key());
        if (last != null && last >= event.revision()) {
            return false;
        }
        lastRevision.put(event.key(), event.revision());
        switch (event) {
            case PolicyEvent.Applied a -> policies.put(a.key(), new Stored(a.policy(), a.revision()));
            case PolicyEvent.Deleted d -> policies.remove(d.key());
        }
        return true;
    }

    /** A tombstone (compaction tooling, an operator): the key is gone whatever its revision. */
    public synchronized void remove(String key) {
        policies.remove(key);
    }

    /**
     * The revision for the next write: one above every revision seen, and above every number tried
     * before ({@link #reserve}), because a write whose outcome is unknown (a timeout) may still commit.
     */
    public synchronized long nextRevision() {
        return Math.max(reserved, maxRevision) + 1;
    }

    /** Marks a revision as used by an attempted write, whatever its outcome. */
    public synchronized void reserve(long revision) {
        reserved = Math.max(reserved, revision);
    }

    /** The highest revision stored. */
    public synchronized long revision() {
        return maxRevision;
    }

    public synchronized Optional<Stored> get(String key) {
        return Optional.ofNullable(policies.get(key));
    }

    /** All stored policies, ordered by key. */
    public synchronized List<Stored> list() {
        return new ArrayList<>(policies.values());
    }
}
