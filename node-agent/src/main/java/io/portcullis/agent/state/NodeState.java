package io.portcullis.agent.state;

import io.portcullis.mesh.compiled.NodeRevisionRecord;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.policy.ip.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * This node's endpoint state, folded from the topics: registrations ({@code endpoints}), identities
 * ({@code endpoint-identities}) and compiled maps ({@code endpoint-policies}), each keyed by endpoint id
 * ({@code namespace/name}). A record may arrive before the registration it belongs to (topics are read by
 * different consumers), so identities and maps are kept for ids that are not registered (yet).
 *
 * <p><b>Concurrency contract:</b> writers (one consumer thread per topic) serialize on {@link #lock},
 * rebuild the immutable {@link NodeSnapshot} and publish it through a volatile field; readers only read
 * that field. Listeners run after the lock is released, on the writer's thread (or, {@link #coalescing},
 * on a thread of their own once per burst), and may see a newer snapshot than the change that triggered them.
 */
public final class NodeState {

    private static final Logger LOG = Logger.getLogger(NodeState.class);

    private final String node;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Runs the listeners once per burst of changes; null: on the writer's thread after each change. */
    private final Executor notifier;
    private final AtomicBoolean notifyPending = new AtomicBoolean();

    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<String, EndpointRecord> specs = new HashMap<>();
    /** Each registration's addresses, parsed once (the snapshot is rebuilt on every record). */
    private final Map<String, List<IpAddress>> addresses = new HashMap<>();
    private final Map<String, Long> identities = new HashMap<>();
    private final Map<String, RealizedPolicy> maps = new HashMap<>();
    private long newestRevision = -1;
    private NodeRevisionRecord watermark;

    private volatile NodeSnapshot snapshot;

    /** Listeners run on the writer's thread after every change. */
    public NodeState(String node) {
        this(node, null);
    }

    private NodeState(String node, Executor notifier) {
        this.node = node;
        this.notifier = notifier;
        this.snapshot = new NodeSnapshot(node, Map.of(), Map.of(), -1, -1);
    }

    /**
     * Listeners run on one thread of their own, once per burst: each listener looks at every endpoint, so
     * running them after each of the thousands of records of one compile (2,000 endpoints) was quadratic.
     * They still always see a snapshot at least as new as the change that woke them.
     */
    public static NodeState coalescing(String node) {
        return new NodeState(node, Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("node-state-listeners").factory()));
    }

    public String node() {
        return node;
    }

    public NodeSnapshot snapshot() {
        return snapshot;
    }

    /** Called after every change; see the concurrency contract. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** A registration (or its unchanged re-publication). */
    public void putEndpoint(String id, EndpointRecord spec) {
        change(() -> {
            specs.put(id, spec);
            addresses.put(id, parse(id, spec));
        });
    }

    /**
     * A deregistration: forgets the endpoint's identity and map too, so a new registration under the same
     * id waits for its own instead of inheriting the old ones (identity-service and compiler-service
     * tombstone theirs later, or republish for the new registration).
     */
    public void removeEndpoint(String id) {
        change(() -> {
            specs.remove(id);
            addresses.remove(id);
            identities.remove(id);
            maps.remove(id);
        });
    }

    public void putIdentity(String id, long identity) {
        change(() -> identities.put(id, identity));
    }

    public void removeIdentity(String id) {
        change(() -> identities.remove(id));
    }

    /**
     * Realizes a compiled map. Revisions only move forward for one identity: an older record than the one
     * realized (a compiler replaying its history) is ignored.
     */
    public void putPolicy(String id, RealizedPolicy map) {
        change(() -> {
            newestRevision = Math.max(newestRevision, map.revision());
            RealizedPolicy current = maps.get(id);
            if (current != null && current.identity() == map.identity() && current.revision() > map.revision()) {
                LOG.warnf("ignoring map of %s at revision %d: revision %d is realized", id, map.revision(),
                        current.revision());
                return;
            }
            maps.put(id, map);
        });
    }

    public void removePolicy(String id) {
        change(() -> maps.remove(id));
    }

    /**
     * The compiler's node watermark: at its revision, each listed endpoint's desired map is its record with
     * the listed revision, so a realized map at least that new is current (docs/mesh.md). Only a newer
     * watermark replaces the one held.
     */
    public void watermark(NodeRevisionRecord record) {
        change(() -> {
            if (watermark == null || record.revision() >= watermark.revision()) {
                watermark = record;
            }
            newestRevision = Math.max(newestRevision, record.revision());
        });
    }

    /**
     * Once every topic is replayed, identities and maps of ids that are not registered are leftovers of
     * deleted endpoints (nothing can be on its way for them): drop them, so a later registration under the
     * same id does not inherit them.
     */
    public void dropUnregistered() {
        change(() -> {
            identities.keySet().retainAll(specs.keySet());
            maps.keySet().retainAll(specs.keySet());
        });
    }

    private void change(Runnable mutation) {
        synchronized (lock) {
            mutation.run();
            snapshot = build();
        }
        if (notifier == null) {
            listeners.forEach(Runnable::run);
        } else if (notifyPending.compareAndSet(false, true)) {
            notifier.execute(() -> {
                notifyPending.set(false); // before running: a change from now on schedules another run
                listeners.forEach(NodeState::runListener);
            });
        }
    }

    private static void runListener(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) { // one failing listener must not starve the others of later changes
            LOG.errorf(e, "node state listener failed");
        }
    }

    private static List<IpAddress> parse(String id, EndpointRecord spec) {
        List<IpAddress> parsed = new ArrayList<>();
        for (String ip : spec.ips()) {
            try {
                parsed.add(IpAddress.parse(ip));
            } catch (IllegalArgumentException e) { // only a foreign writer could have put it there
                LOG.warnf("endpoint %s: ignoring address %s: %s", id, ip, e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }

    // Called with lock held.
    private NodeSnapshot build() {
        Map<String, LocalEndpoint> endpoints = new HashMap<>();
        Map<IpAddress, String> byIp = new HashMap<>();
        specs.forEach((id, spec) -> {
            RealizedPolicy map = maps.get(id);
            long vouched = watermark == null || map == null ? -1 : watermark.vouchedRevision(id, map.revision());
            endpoints.put(id, LocalEndpoint.of(id, spec, identities.get(id), map, newestRevision, vouched));
            for (IpAddress ip : addresses.get(id)) {
                byIp.put(ip, id);
            }
        });
        return new NodeSnapshot(node, endpoints, byIp, newestRevision, watermark == null ? -1 : watermark.revision());
    }
}
