package io.portcullis.compiler.compile;

import io.portcullis.mesh.identity.IdentityWatermarkRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.identity.PolicyPrefixes;
import io.portcullis.policy.ip.IpPrefix;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Holds policy changes back until identity-service has accounted for them: a change at revision N is
 * handed to the compiler only once every ownership slice's {@link IdentityWatermarkRecord} vouches for N
 * and the compiler has consumed the identity and ipcache records those watermarks rely on. So the CIDR
 * identities and ipcache entries a new policy needs are in the engine before the policy is, and no map is
 * stamped with a revision whose prefixes still map to {@code world} (docs/mesh.md, "CIDR identities").
 *
 * <p>A change whose prefixes all have an ipcache entry the compiler has read, naming an identity it has
 * read, needs nothing from identity-service (deletes and policies without CIDR rules included) and leaves
 * without waiting for a watermark, so only a revision that names a new prefix pays for the round trip.
 *
 * <p>Policy changes leave in arrival order. Not thread-safe: the compile loop's thread only.
 */
final class IdentityHold {

    private final ArrayDeque<Change.Policy> held = new ArrayDeque<>();
    private final Map<String, Map<Integer, Long>> consumed = new HashMap<>();
    /** Per slice, the highest revision of a covered watermark. */
    private final Map<Integer, Long> cleared = new HashMap<>();
    /** Per slice, the newest watermark not yet covered by what was consumed. */
    private final Map<Integer, IdentityWatermarkRecord> uncovered = new TreeMap<>();
    private int slices;
    /** What the compiler has read of the identity inputs: live identity ids, ipcache prefix → identity. */
    private final Set<Long> identities = new HashSet<>();
    private final Map<String, Long> ipcache = new HashMap<>();

    void offer(Change.Policy change) {
        held.add(change);
    }

    /** The compiler consumed {@code input}'s {@code partition} up to (excluding) offset {@code next}. */
    void consumed(String input, int partition, long next) {
        consumed.computeIfAbsent(input, k -> new HashMap<>()).merge(partition, next, Math::max);
    }

    void identity(long id, boolean live) {
        if (live) {
            identities.add(id);
        } else {
            identities.remove(id);
        }
    }

    void ipcache(String prefix, Long identity) {
        if (identity == null) {
            ipcache.remove(prefix);
        } else {
            ipcache.put(prefix, identity);
        }
    }

    void watermark(IdentityWatermarkRecord w) {
        slices = w.slices();
        uncovered.put(w.slice(), w);
    }

    /**
     * Every input was replayed to the end offsets seen at start: the watermarks read so far count as
     * covered, because what they rely on was committed before them. (Their offsets may no longer be
     * reachable record by record: compaction can drop the last record of a partition.)
     */
    void coverAll() {
        uncovered.values().forEach(this::clear);
        uncovered.clear();
    }

    /** The policy changes that may be applied now, in arrival order. */
    List<Change.Policy> releasable() {
        uncovered.values().removeIf(w -> {
            if (w.coveredBy(consumed)) {
                clear(w);
                return true;
            }
            return false;
        });
        long revision = clearedRevision();
        List<Change.Policy> out = new ArrayList<>();
        while (!held.isEmpty() && (held.peek().event() == null || held.peek().event().revision() <= revision
                || prefixesKnown(held.peek().event()))) {
            out.add(held.poll());
        }
        return out;
    }

    private boolean prefixesKnown(PolicyEvent event) {
        if (!(event instanceof PolicyEvent.Applied a) || a.policy() == null) {
            return true;
        }
        for (IpPrefix p : PolicyPrefixes.of(a.policy())) {
            Long id = ipcache.get(p.toString());
            if (id == null || !identities.contains(id)) {
                return false;
            }
        }
        return true;
    }

    /** The highest revision every slice vouches for; -1 before every slice has a watermark. */
    long clearedRevision() {
        if (slices <= 0) {
            return -1;
        }
        long min = Long.MAX_VALUE;
        for (int s = 0; s < slices; s++) {
            min = Math.min(min, cleared.getOrDefault(s, -1L));
        }
        return min;
    }

    /** Policy changes waiting. */
    int size() {
        return held.size();
    }

    private void clear(IdentityWatermarkRecord w) {
        cleared.merge(w.slice(), w.revision(), Math::max);
    }
}
