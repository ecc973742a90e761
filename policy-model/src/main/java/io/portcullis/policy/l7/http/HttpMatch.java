package io.portcullis.policy.l7.http;

import java.util.List;

/** Result of one HTTP rule on one request: whether it matched, and the header mismatches to act on. */
public record HttpMatch(boolean matched, List<HeaderMismatch> mismatches) {

    static final HttpMatch NO_MATCH = new HttpMatch(false, List.of());
    static final HttpMatch CLEAN_MATCH = new HttpMatch(true, List.of());

    public HttpMatch {
        mismatches = List.copyOf(mismatches);
    }
}
