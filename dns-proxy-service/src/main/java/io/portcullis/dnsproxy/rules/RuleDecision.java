package io.portcullis.dnsproxy.rules;

/**
 * What the proxy does with one question.
 *
 * @param endpoint the querying local endpoint (incarnation), null for an unknown source
 * @param reason   why, for logs and the stats endpoint
 */
public record RuleDecision(Outcome outcome, EndpointKey endpoint, String reason) {

    public enum Outcome {
        /** Forward to the server. */
        ALLOWED,
        /** Answer REFUSED (or NXDOMAIN). */
        DENIED,
        /** The source address is no endpoint of this node: refused, nothing is learned for it. */
        UNKNOWN_SOURCE
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
