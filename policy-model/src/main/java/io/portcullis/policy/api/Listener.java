package io.portcullis.policy.api;

/** {@code listener}: a custom Envoy listener reference (egress only, not with L7 rules). */
public record Listener(EnvoyConfig envoyConfig, String name, Integer priority) {

    public record EnvoyConfig(String kind, String name) {}
}
