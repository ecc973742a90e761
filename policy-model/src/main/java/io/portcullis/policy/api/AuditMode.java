package io.portcullis.policy.api;

import java.util.Map;

/**
 * Portcullis' audit mode for one policy: annotated {@code portcullis.io/audit: "true"}, what only it would
 * deny is let through and recorded as an {@code AUDIT} flow (Cilium has audit mode per endpoint or node;
 * per policy lets a team try a policy out before it bites).
 */
public final class AuditMode {

    public static final String ANNOTATION = "portcullis.io/audit";

    private AuditMode() {}

    public static boolean isAudit(CiliumPolicy policy) {
        if (policy == null || policy.metadata() == null) {
            return false;
        }
        Map<String, String> annotations = policy.metadata().annotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(ANNOTATION));
    }
}
