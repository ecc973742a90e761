package io.portcullis.kafkaproxy.spi;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One decision of the proxy, for flow logs (the integrator maps it to the mesh's flow record).
 *
 * @param topics       the request's topics (resolved names)
 * @param deniedTopics the topics answered with an authorization error (for audit: that would have been); empty when allowed
 */
public record KafkaFlow(Instant time, Source source, InetSocketAddress destination, int apiKey, String apiName,
                        short apiVersion, String clientId, List<String> topics, KafkaDecision.Outcome verdict,
                        Set<String> policies, Set<String> deniedTopics, String reason) {

    public KafkaFlow {
        topics = List.copyOf(topics);
        policies = Set.copyOf(policies);
        deniedTopics = Set.copyOf(deniedTopics);
    }
}
