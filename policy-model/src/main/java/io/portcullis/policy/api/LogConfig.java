package io.portcullis.policy.api;

/** {@code log.value}: a flow log cookie, at most 32 printable characters. */
public record LogConfig(String value) {}
