package io.portcullis.policy.api;

/** {@code authentication.mode}: disabled, required or test-always-fail. */
public record Authentication(String mode) {}
