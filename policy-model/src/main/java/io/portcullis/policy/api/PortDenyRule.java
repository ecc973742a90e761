package io.portcullis.policy.api;

import java.util.List;

/** A {@code toPorts} item of a deny rule: ports only. */
public record PortDenyRule(List<PortProtocol> ports) {}
