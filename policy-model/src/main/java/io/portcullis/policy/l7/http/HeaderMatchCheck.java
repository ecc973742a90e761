package io.portcullis.policy.l7.http;

import java.util.Optional;

/**
 * A {@code headerMatches} entry with a LOG/ADD/DELETE/REPLACE action: never fails the rule, but reports a
 * {@link HeaderMismatch} when the header is absent or has another value (cilium-envoy
 * {@code HeaderMatch::allowed}). An empty expected value is a presence check.
 */
record HeaderMatchCheck(String name, String value, MismatchAction action) {

    Optional<HeaderMismatch> check(HttpRequest request) {
        Optional<String> actual = request.header(name);
        boolean presenceCheck = value.isEmpty();
        boolean matches = presenceCheck ? actual.isPresent() : actual.map(value::equals).orElse(false);
        if (matches) {
            return Optional.empty();
        }
        if (action == MismatchAction.DELETE && (presenceCheck || actual.isEmpty())) {
            return Optional.empty(); // nothing to remove
        }
        return Optional.of(new HeaderMismatch(name, action, value, actual.orElse(null)));
    }
}
