package io.portcullis.agent.state;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a local endpoint stands. Only {@link #READY} and {@link #REGENERATING} have a map that verdicts
 * use; the two waiting states fail closed.
 */
public enum EndpointState {
    /** Registered, identity-service has not assigned its identity yet. */
    WAITING_FOR_IDENTITY("waiting-for-identity"),
    /** Identity known, no policy map compiled for that identity realized yet: every flow is denied. */
    WAITING_FOR_POLICY("waiting-for-policy"),
    /** A map is realized, but the node has seen a newer revision that this endpoint has not reached yet. */
    REGENERATING("regenerating"),
    /** The realized map is at (or past) the newest revision this node knows. */
    READY("ready");

    private final String wireName;

    EndpointState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
