package io.portcullis.kafkaproxy.spi;

import java.net.InetSocketAddress;

/**
 * Decides one Kafka request. Called on the connection's event-loop thread for every request, so it
 * must be fast and must not block: look up precomputed state (e.g. the endpoint's resolved policy).
 */
@FunctionalInterface
public interface KafkaPolicy {

    /**
     * @param source      the connection's source, as {@link SourceResolver} resolved it
     * @param destination the upstream broker this connection is proxied to
     * @param request     the request's header fields and topics
     */
    KafkaDecision decide(Source source, InetSocketAddress destination, KafkaRequestInfo request);
}
