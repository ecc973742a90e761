package io.portcullis.mesh.identity;

import io.portcullis.mesh.Versioned;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * identity-service's "policies accounted for" watermark of one ownership slice, on
 * {@code portcullis.identity-watermarks}, key {@link #key(int) slice/<n>}. Written by the slice's owner in
 * the same transaction as its identity and ipcache writes. It says: every CIDR identity and ipcache entry
 * that policy revisions up to {@code revision} need and that belong to this slice is on the topics, at
 * offsets below {@code inputs} (per input, {@code identities} or {@code ipcache}, and partition: the offset
 * after the last record it relies on). compiler-service applies policy revision N only once every one of the
 * {@code slices} slices vouches for N and it has consumed its inputs up to those offsets, so no endpoint is
 * reported ready at N while an address inside a prefix N names still maps to {@code world}.
 */
public record IdentityWatermarkRecord(int schemaVersion, int slice, int slices, long revision,
        Map<String, Map<Integer, Long>> inputs) implements Versioned {

    public static final int SCHEMA_VERSION = 1;
    public static final String KEY_PREFIX = "slice/";

    public IdentityWatermarkRecord {
        inputs = inputs == null ? Map.of() : inputs;
    }

    public static IdentityWatermarkRecord of(int slice, int slices, long revision, Map<String, Map<Integer, Long>> inputs) {
        // Sorted, so the same state always encodes to the same bytes.
        Map<String, Map<Integer, Long>> in = new TreeMap<>();
        inputs.forEach((k, v) -> in.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        return new IdentityWatermarkRecord(SCHEMA_VERSION, slice, slices, revision, Collections.unmodifiableMap(in));
    }

    public static String key(int slice) {
        return KEY_PREFIX + slice;
    }

    /** Whether a reader that consumed up to {@code consumed} (same shape as {@code inputs}) has every record this relies on. */
    public boolean coveredBy(Map<String, Map<Integer, Long>> consumed) {
        for (var input : inputs.entrySet()) {
            Map<Integer, Long> have = consumed.getOrDefault(input.getKey(), Map.of());
            for (var p : input.getValue().entrySet()) {
                if (have.getOrDefault(p.getKey(), 0L) < p.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }
}
