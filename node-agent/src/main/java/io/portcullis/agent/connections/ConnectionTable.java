package io.portcullis.agent.connections;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open proxied connections per (local source endpoint, destination IP), and which of them are reported.
 * Counting is lock-free (one map update per open and per close, on the proxies' I/O threads); {@link #due}
 * turns the difference to what was reported into reports: a pair that became live, one whose last
 * connection closed (a tombstone), and on refresh every live pair again (the records are leases).
 * Plain Java, thread-safe; {@link ConnectionTracker} publishes the reports.
 */
public final class ConnectionTable {

    /** A source endpoint ({@code namespace/name}) and a destination address. */
    public record Pair(String endpoint, String ip) {}

    /** {@code connections == 0}: the pair is no longer live (tombstone). */
    public record Report(Pair pair, int connections) {}

    private final Map<Pair, Integer> open = new ConcurrentHashMap<>();
    private final Set<Pair> reported = new HashSet<>(); // guarded by this

    public void opened(Pair p) {
        open.merge(p, 1, Integer::sum);
    }

    public void closed(Pair p) {
        open.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Open connections of the pair now. */
    public int count(Pair p) {
        return open.getOrDefault(p, 0);
    }

    /** What to report now; {@code refresh}: every live pair, not only the new ones. */
    public synchronized List<Report> due(boolean refresh) {
        List<Report> out = new ArrayList<>();
        Map<Pair, Integer> now = Map.copyOf(open);
        for (Pair p : new HashSet<>(reported)) {
            if (!now.containsKey(p)) {
                reported.remove(p);
                out.add(new Report(p, 0));
            }
        }
        now.forEach((p, n) -> {
            if (reported.add(p) || refresh) {
                out.add(new Report(p, n));
            }
        });
        return out;
    }

    /** A report could not be sent: the next {@link #due} sends it again. */
    public synchronized void failed(Report r) {
        if (r.connections() > 0) {
            reported.remove(r.pair());
        } else if (!open.containsKey(r.pair())) {
            reported.add(r.pair()); // still reported as live: the next pass tombstones it again
        }
    }
}
