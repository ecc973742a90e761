package io.portcullis.dnsproxy.rules;

/**
 * One incarnation of a local endpoint: its id ({@code namespace/name}) and a number {@link RuleState} gives
 * it each time the endpoint appears (no record → a record). A pod deleted and re-created under the same name
 * is a new incarnation, so what the proxy remembers for the old one (published observations, addresses seen
 * realized) does not carry over, and the memory is dropped when the incarnation leaves the rules.
 */
public record EndpointKey(String id, long incarnation) {}
