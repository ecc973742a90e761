package io.portcullis.compiler.compile;

import io.portcullis.mesh.Versioned;
import java.util.List;

/**
 * What one flush publishes on the endpoint-policies topic, in order: endpoint records and tombstones
 * first, then node watermarks.
 *
 * @param recompiled endpoints whose policy the engine had to resolve again
 * @param nanos      time spent computing (not publishing)
 */
public record Publication(List<Out> records, int recompiled, long nanos) {

    public Publication {
        records = List.copyOf(records);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** One keyed record; {@code value} null is a tombstone. */
    public record Out(String key, Versioned value) {}
}
