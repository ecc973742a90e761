package io.portcullis.policy.api;

import java.util.List;

/** {@code fromCIDRSet}/{@code toCIDRSet} item: one of cidr, cidrGroupRef, cidrGroupSelector, plus excepts. */
public record CIDRRule(String cidr, String cidrGroupRef, EndpointSelector cidrGroupSelector, List<String> except) {}
