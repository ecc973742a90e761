package io.portcullis.policy.api;

/** A rule label ({@code labels[]} of a rule); source defaults to {@code unspec}. */
public record RuleLabel(String key, String value, String source) {}
