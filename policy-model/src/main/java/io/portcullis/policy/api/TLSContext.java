package io.portcullis.policy.api;

/** {@code terminatingTLS}/{@code originatingTLS}. */
public record TLSContext(Secret secret, String trustedCA, String certificate, String privateKey) {}
