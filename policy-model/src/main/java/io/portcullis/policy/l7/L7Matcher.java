package io.portcullis.policy.l7;

/** The verdict-level view every L7 matcher offers: does this request pass? */
@FunctionalInterface
public interface L7Matcher<R> {

    boolean matches(R request);
}
