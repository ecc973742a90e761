package io.portcullis.policy.api;

import java.util.List;

/** An {@code egress} allow rule ({@code pkg/policy/api/egress.go}). Peer kinds are mutually exclusive. */
public record EgressRule(
        List<EndpointSelector> toEndpoints,
        List<EndpointSelector> toRequires,
        List<String> toCIDR,
        List<CIDRRule> toCIDRSet,
        List<String> toEntities,
        List<Service> toServices,
        List<Groups> toGroups,
        List<EndpointSelector> toNodes,
        List<FQDNSelector> toFQDNs,
        List<PortRule> toPorts,
        List<ICMPRule> icmps,
        Authentication authentication) {}
