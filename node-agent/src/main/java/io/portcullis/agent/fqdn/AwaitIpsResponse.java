package io.portcullis.agent.fqdn;

import java.util.Map;

/**
 * The answer of await-ips: {@code realized} once every address maps to an identity the endpoint's
 * realized map accounts for; {@code identities} what each address maps to right now (realized or not).
 */
public record AwaitIpsResponse(boolean realized, Map<String, Long> identities) {}
