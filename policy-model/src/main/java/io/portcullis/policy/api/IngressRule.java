package io.portcullis.policy.api;

import java.util.List;

/** An {@code ingress} allow rule ({@code pkg/policy/api/ingress.go}). Peer kinds are mutually exclusive. */
public record IngressRule(
        List<EndpointSelector> fromEndpoints,
        List<EndpointSelector> fromRequires,
        List<String> fromCIDR,
        List<CIDRRule> fromCIDRSet,
        List<String> fromEntities,
        List<Groups> fromGroups,
        List<EndpointSelector> fromNodes,
        List<PortRule> toPorts,
        List<ICMPRule> icmps,
        Authentication authentication) {}
