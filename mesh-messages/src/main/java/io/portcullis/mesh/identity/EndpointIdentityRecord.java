package io.portcullis.mesh.identity;

import io.portcullis.mesh.Versioned;

/** Which identity an endpoint got; key {@code node/namespace/name} (as the endpoint). Removal is a tombstone. */
public record EndpointIdentityRecord(int schemaVersion, String endpoint, long identity) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public static EndpointIdentityRecord of(String endpointKey, long identity) {
        return new EndpointIdentityRecord(SCHEMA_VERSION, endpointKey, identity);
    }
}
