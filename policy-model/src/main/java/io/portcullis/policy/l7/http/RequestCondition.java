package io.portcullis.policy.l7.http;

import com.google.re2j.Pattern;

/** One ANDed condition of an HTTP rule, as Cilium hands it to Envoy as a {@code HeaderMatcher}. */
sealed interface RequestCondition {

    boolean test(HttpRequest request);

    /** {@code path}/{@code method}/{@code host}: RE2 over the whole pseudo-header value; absent fails. */
    record Regex(String header, String regex, Pattern pattern) implements RequestCondition {
        @Override
        public boolean test(HttpRequest request) {
            return request.header(header).map(pattern::matches).orElse(false);
        }
    }

    /** {@code "Name: value"} strings and FAIL-action {@code headerMatches} with a value. */
    record HeaderEquals(String name, String value) implements RequestCondition {
        @Override
        public boolean test(HttpRequest request) {
            return request.header(name).map(value::equals).orElse(false);
        }
    }

    /** {@code "Name"} strings and FAIL-action {@code headerMatches} without a value. */
    record HeaderPresent(String name) implements RequestCondition {
        @Override
        public boolean test(HttpRequest request) {
            return request.header(name).isPresent();
        }
    }

    /** A {@code headerMatches} whose secret cannot be read: the rule can never match. */
    record Never(String reason) implements RequestCondition {
        @Override
        public boolean test(HttpRequest request) {
            return false;
        }
    }
}
