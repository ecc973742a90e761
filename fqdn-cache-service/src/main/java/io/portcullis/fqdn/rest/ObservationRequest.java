package io.portcullis.fqdn.rest;

import java.util.List;

/** {@code POST /v1/fqdn/observations} (contract item 4). */
public record ObservationRequest(String endpoint, String name, List<String> ips, Long ttl) {}
