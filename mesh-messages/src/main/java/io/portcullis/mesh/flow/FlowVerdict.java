package io.portcullis.mesh.flow;

/**
 * What happened to a flow. {@code AUDIT}: a policy in audit mode ({@code portcullis.io/audit: "true"})
 * would have denied it, and it was let through.
 */
public enum FlowVerdict {
    ALLOWED, DENIED, AUDIT
}
