package io.portcullis.agent.realized;

import io.portcullis.agent.state.LocalEndpoint;
import io.portcullis.agent.state.NodeSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which {@code RealizedRecord}s this node still owes: the topic should say, for every local endpoint with
 * a realized map, the revision verdicts use, and nothing for endpoints without one. Starts from what the
 * topic already holds (replayed), so a restart republishes only what changed. Thread-safe (synchronized).
 */
public final class RealizedReports {

    /** One record to publish: {@code revision} null is a tombstone. */
    public record Report(String id, Long revision) {}

    /** A revision that no endpoint can have: marks a tombstone that still has to be sent. */
    private static final long UNSENT_TOMBSTONE = Long.MIN_VALUE;

    private final Map<String, Long> published = new HashMap<>();

    /** A record found on the topic. */
    public synchronized void seen(String id, long revision) {
        published.put(id, revision);
    }

    /** A tombstone found on the topic. */
    public synchronized void unseen(String id) {
        published.remove(id);
    }

    /** The reports that bring the topic in line with {@code s}; they count as published from now on. */
    public synchronized List<Report> due(NodeSnapshot s) {
        Map<String, Long> wanted = new HashMap<>();
        for (LocalEndpoint e : s.endpoints().values()) {
            if (e.policyRevision() != null) {
                wanted.put(e.id(), e.policyRevision());
            }
        }
        List<Report> due = new ArrayList<>();
        wanted.forEach((id, revision) -> {
            if (!Objects.equals(published.get(id), revision)) {
                due.add(new Report(id, revision));
            }
        });
        published.keySet().stream().filter(id -> !wanted.containsKey(id)).forEach(id -> due.add(new Report(id, null)));
        due.forEach(r -> {
            if (r.revision() == null) {
                published.remove(r.id());
            } else {
                published.put(r.id(), r.revision());
            }
        });
        due.sort(java.util.Comparator.comparing(Report::id));
        return due;
    }

    /** A send failed: the next {@link #due} offers it again (unless something newer replaced it). */
    public synchronized void failed(Report r) {
        if (r.revision() == null) {
            published.putIfAbsent(r.id(), UNSENT_TOMBSTONE);
        } else if (Objects.equals(published.get(r.id()), r.revision())) {
            published.remove(r.id());
        }
    }
}
