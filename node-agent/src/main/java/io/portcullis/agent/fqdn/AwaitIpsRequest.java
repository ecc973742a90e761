package io.portcullis.agent.fqdn;

import java.util.List;

/** {@code POST /v1/endpoints/{ns}/{name}/await-ips} body. */
public record AwaitIpsRequest(List<String> ips, Long timeoutMs) {}
