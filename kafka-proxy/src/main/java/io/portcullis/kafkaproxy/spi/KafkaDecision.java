package io.portcullis.kafkaproxy.spi;

import java.util.Set;

/**
 * Policy's answer for one request.
 *
 * @param outcome      allowed, denied, or audit (would be denied, forwarded anyway and recorded as such)
 * @param policies     the names of the policies that decided
 * @param deniedTopics for a denied topic-carrying request, the topics no rule allows; empty means all
 *                     of the request's topics. Only Metadata uses it to still forward the allowed rest
 * @param reason       a short human-readable reason for flow records
 */
public record KafkaDecision(Outcome outcome, Set<String> policies, Set<String> deniedTopics, String reason) {

    public enum Outcome { ALLOWED, DENIED, AUDIT }

    public KafkaDecision {
        policies = Set.copyOf(policies);
        deniedTopics = Set.copyOf(deniedTopics);
        reason = reason == null ? "" : reason;
    }

    public static KafkaDecision allowed(Set<String> policies, String reason) {
        return new KafkaDecision(Outcome.ALLOWED, policies, Set.of(), reason);
    }

    public static KafkaDecision denied(Set<String> policies, Set<String> deniedTopics, String reason) {
        return new KafkaDecision(Outcome.DENIED, policies, deniedTopics, reason);
    }

    /** True when the request goes to the broker unchanged (allowed or audit). */
    public boolean forwards() {
        return outcome != Outcome.DENIED;
    }
}
