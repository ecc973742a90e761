package io.portcullis.policy.api;

import java.util.List;

/** An {@code egressDeny} rule: L3/L4 only, no {@code toFQDNs}, no L7. */
public record EgressDenyRule(
        List<EndpointSelector> toEndpoints,
        List<EndpointSelector> toRequires,
        List<String> toCIDR,
        List<CIDRRule> toCIDRSet,
        List<String> toEntities,
        List<Service> toServices,
        List<Groups> toGroups,
        List<EndpointSelector> toNodes,
        List<PortDenyRule> toPorts,
        List<ICMPRule> icmps) {}
