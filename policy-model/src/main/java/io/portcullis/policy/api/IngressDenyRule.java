package io.portcullis.policy.api;

import java.util.List;

/** An {@code ingressDeny} rule: L3/L4 only, no L7 {@code rules}. */
public record IngressDenyRule(
        List<EndpointSelector> fromEndpoints,
        List<EndpointSelector> fromRequires,
        List<String> fromCIDR,
        List<CIDRRule> fromCIDRSet,
        List<String> fromEntities,
        List<Groups> fromGroups,
        List<EndpointSelector> fromNodes,
        List<PortDenyRule> toPorts,
        List<ICMPRule> icmps) {}
