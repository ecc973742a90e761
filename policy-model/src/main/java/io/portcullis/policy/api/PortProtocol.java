package io.portcullis.policy.api;

/**
 * A port as written: {@code port} is a number (Go base-0 literal) or an IANA service name (a named
 * port); {@code protocol} is absent for ANY.
 */
public record PortProtocol(String port, Integer endPort, String protocol) {}
