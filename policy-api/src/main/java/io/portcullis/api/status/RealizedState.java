package io.portcullis.api.status;

import io.portcullis.mesh.realized.RealizedRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The realized revision of every endpoint, from the {@code realized} topic, and the per-node summary
 * the policy status shows. Thread-safe.
 */
public final class RealizedState {

    /** node → endpoint → realized revision. */
    private final Map<String, Map<String, Long>> nodes = new HashMap<>();

    public synchronized void record(RealizedRecord r) {
        nodes.computeIfAbsent(r.node(), n -> new HashMap<>()).put(r.endpoint(), r.revision());
    }

    /** A tombstone: the endpoint (key {@code node/namespace/name}) is gone. */
    public synchronized void remove(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return;
        }
        String node = key.substring(0, slash);
        Map<String, Long> endpoints = nodes.get(node);
        if (endpoints != null) {
            endpoints.remove(key.substring(slash + 1));
            if (endpoints.isEmpty()) {
                nodes.remove(node);
            }
        }
    }

    /**
     * Per node, the lowest revision realized among its endpoints (the node is only as current as its
     * slowest endpoint), how many endpoints report, and whether that reaches {@code revision}.
     */
    public synchronized Map<String, PolicyStatus.NodeRealized> view(long revision) {
        Map<String, PolicyStatus.NodeRealized> view = new TreeMap<>();
        nodes.forEach((node, endpoints) -> {
            long lowest = endpoints.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            view.put(node, new PolicyStatus.NodeRealized(lowest, endpoints.size(), lowest >= revision));
        });
        return view;
    }
}
