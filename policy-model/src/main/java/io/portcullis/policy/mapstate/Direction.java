package io.portcullis.policy.mapstate;

/** Traffic direction as seen by the endpoint that owns the map. */
public enum Direction {
    INGRESS, EGRESS;

    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
