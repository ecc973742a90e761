package io.portcullis.policy.api;

import java.util.List;

/** A {@code toPorts} item of an allow rule ({@code pkg/policy/api/l4.go}). */
public record PortRule(
        List<PortProtocol> ports,
        L7Rules rules,
        TLSContext terminatingTLS,
        TLSContext originatingTLS,
        List<String> serverNames,
        Listener listener) {}
