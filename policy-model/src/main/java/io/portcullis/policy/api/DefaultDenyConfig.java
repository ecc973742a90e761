package io.portcullis.policy.api;

/** {@code enableDefaultDeny}: per direction, absent means "decided by whether the rule has that direction". */
public record DefaultDenyConfig(Boolean ingress, Boolean egress) {}
