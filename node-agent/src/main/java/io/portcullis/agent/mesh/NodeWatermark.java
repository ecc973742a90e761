package io.portcullis.agent.mesh;

import io.portcullis.mesh.Versioned;

/**
 * A compiler's per-node watermark on {@code portcullis.endpoint-policies}, key {@code node/*}: every map
 * of {@code node} that was not republished is unchanged at {@code revision}. The shape node-agent reads
 * (docs/mesh.md); extra fields are ignored.
 */
public record NodeWatermark(int schemaVersion, String node, long revision) implements Versioned {

    public static final int SCHEMA_VERSION = 1;
}
