package io.portcullis.policy.api;

/** {@code headerMatches[]}: exact value (or from a secret), presence when neither is given. */
public record HeaderMatch(String name, String value, Secret secret, String mismatch) {}
