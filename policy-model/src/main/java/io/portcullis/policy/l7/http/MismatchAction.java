package io.portcullis.policy.l7.http;

/** {@code headerMatches[].mismatch}: what happens when a header does not have the expected value. */
public enum MismatchAction {
    /** Unset: the rule does not match. */
    FAIL,
    /** The rule still matches; the mismatch is logged. */
    LOG,
    /** The rule matches; the expected value is added to the header. */
    ADD,
    /** The rule matches; the header with the wrong value is removed. */
    DELETE,
    /** The rule matches; the header is set to the expected value. */
    REPLACE;

    /** The API spelling ({@code LOG}, {@code ADD}, {@code DELETE}, {@code REPLACE}); anything else is FAIL, as in Cilium. */
    public static MismatchAction parse(String mismatch) {
        if (mismatch == null) {
            return FAIL;
        }
        return switch (mismatch) {
            case "LOG" -> LOG;
            case "ADD" -> ADD;
            case "DELETE" -> DELETE;
            case "REPLACE" -> REPLACE;
            default -> FAIL;
        };
    }
}
