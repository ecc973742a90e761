package io.portcullis.mesh.compiled;

import io.portcullis.mesh.Versioned;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-node readiness watermark on the endpoint-policies topic, next to the {@link EndpointPolicyRecord}s;
 * key {@code node/*} ({@link #key}). It says: at policy revision {@code revision}, the desired map of each
 * listed endpoint ({@code namespace/name}) is its {@link EndpointPolicyRecord} with the listed revision. So an
 * endpoint is ready at {@code revision} once its node realized a record with at least the listed revision,
 * and endpoints whose map a change did not touch need no record of their own. An endpoint that is not
 * listed has no desired map at this revision (identity not known yet). Tombstone: the node has no endpoints.
 *
 * <p>The listed revisions make the record independent of partitioning: a reader may see it before the
 * endpoint records it refers to and still never reports readiness too early.
 *
 * <p>{@code inputs} says how far the compiler had consumed its identity inputs when it compiled this node's
 * maps: per input ({@link #IDENTITIES}, {@link #IPCACHE}) and partition, the next offset it would read. A
 * node that read an identity or ipcache record at offset {@code o} knows its maps account for it once a
 * watermark's input offset for that partition is greater than {@code o} (FQDN "realized", docs/mesh.md).
 * Absent in records of older writers (read as empty: covers nothing).
 */
public record NodeRevisionRecord(int schemaVersion, String node, long revision, Map<String, Long> endpoints,
        Map<String, Map<Integer, Long>> inputs) implements Versioned {

    public static final int SCHEMA_VERSION = 1;
    /** Input name in {@link #inputs} for {@code portcullis.identities}. */
    public static final String IDENTITIES = "identities";
    /** Input name in {@link #inputs} for {@code portcullis.ipcache}. */
    public static final String IPCACHE = "ipcache";

    public NodeRevisionRecord {
        endpoints = endpoints == null ? Map.of() : endpoints;
        inputs = inputs == null ? Map.of() : inputs;
    }

    /** The key suffix that tells watermarks from endpoint records ({@code *} is never a Kubernetes name). */
    public static final String KEY_SUFFIX = "/*";

    public static NodeRevisionRecord of(String node, long revision, Map<String, Long> endpoints) {
        // Sorted, so the same state always encodes to the same bytes.
        return of(node, revision, endpoints, Map.of());
    }

    public static NodeRevisionRecord of(String node, long revision, Map<String, Long> endpoints,
            Map<String, Map<Integer, Long>> inputs) {
        Map<String, Map<Integer, Long>> in = new TreeMap<>();
        inputs.forEach((k, v) -> in.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        return new NodeRevisionRecord(SCHEMA_VERSION, node, revision, Collections.unmodifiableMap(new TreeMap<>(endpoints)),
                Collections.unmodifiableMap(in));
    }

    /** Whether the compiler had consumed the record at {@code offset} of {@code input}'s {@code partition}. */
    public boolean covers(String input, int partition, long offset) {
        Map<Integer, Long> p = inputs.get(input);
        Long next = p == null ? null : p.get(partition);
        return next != null && next > offset;
    }

    public static String key(String node) {
        return node + KEY_SUFFIX;
    }

    /**
     * The revision this watermark vouches for on behalf of one endpoint, given the revision of the map
     * the node realized for it: {@link #revision()} once that map is at least the listed one, else -1.
     */
    public long vouchedRevision(String endpoint, long realizedRevision) {
        Long needed = endpoints.get(endpoint);
        return needed != null && realizedRevision >= needed ? revision : -1;
    }

    /** Whether a key on the endpoint-policies topic is a watermark's. */
    public static boolean isKey(String key) {
        return key.endsWith(KEY_SUFFIX);
    }
}
