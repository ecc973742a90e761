package io.portcullis.mesh.realized;

import io.portcullis.mesh.Versioned;

/** An endpoint's policy as enforced on its node; key {@code node/namespace/name}. */
public record RealizedRecord(int schemaVersion, String node, String endpoint, long revision) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public static RealizedRecord of(String node, String endpoint, long revision) {
        return new RealizedRecord(SCHEMA_VERSION, node, endpoint, revision);
    }
}
