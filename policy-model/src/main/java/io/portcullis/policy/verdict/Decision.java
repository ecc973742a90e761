package io.portcullis.policy.verdict;

/** The outcome of one check. {@link #NOT_EVALUATED}: that side is no local endpoint. */
public enum Decision {
    ALLOWED, DENIED, NOT_EVALUATED
}
