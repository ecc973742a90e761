package io.portcullis.policy.api;

/** A reference to a Kubernetes Secret. */
public record Secret(String namespace, String name) {}
