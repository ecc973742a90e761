package io.portcullis.identity.allocation;

import io.portcullis.mesh.Versioned;

/** One record the core wants on an output topic; a null value is a tombstone. */
public record MeshWrite(Output topic, String key, Versioned value) {

    /** The topics identity-service writes (names come from configuration). */
    public enum Output {
        IDENTITIES, ENDPOINT_IDENTITIES, IPCACHE
    }

    public boolean isTombstone() {
        return value == null;
    }
}
