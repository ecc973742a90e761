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
 */
public record NodeRevisionRecord(int schemaVersion, String node, long revision, Map<String, Long> endpoints)
        implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    /** The key suffix that tells watermarks from endpoint records ({@code *} is never a Kubernetes name). */
    public static final String KEY_SUFFIX = "/*";

    public static NodeRevisionRecord of(String node, long revision, Map<String, Long> endpoints) {
        // Sorted, so the same state always encodes to the same bytes.
        return new NodeRevisionRecord(SCHEMA_VERSION, node, revision, Collections.unmodifiableMap(new TreeMap<>(endpoints)));
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
