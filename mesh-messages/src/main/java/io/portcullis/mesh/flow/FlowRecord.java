package io.portcullis.mesh.flow;

import io.portcullis.mesh.Versioned;
import java.util.List;

/**
 * One decision on real or asked-about traffic, like a Hubble flow: every verdict of node-agent (the
 * {@code POST /v1/verdicts} answers, the HTTP proxy's requests) and of the other proxies (Kafka, DNS)
 * yields one. Streamed by node-agent's {@code GET /v1/flows} and written to {@code portcullis.flows}
 * (key: the destination's {@code node/ns/name}, or its IP; delete policy with retention: flows are
 * events, not state).
 *
 * @param time        ISO-8601 instant of the decision
 * @param node        the node that decided
 * @param origin      who decided: {@code verdict-api}, {@code http-proxy}, {@code kafka-proxy}, {@code dns-proxy}
 * @param source      the client side
 * @param destination the server side
 * @param port        the destination port
 * @param protocol    {@code TCP}, {@code UDP}, ...
 * @param verdict     {@link FlowVerdict}
 * @param policies    the deciding policies ({@code ns/name}, or {@code name} for a clusterwide one), also on
 *                    denies (the policies whose default deny or deny rule dropped it); for {@code AUDIT}
 *                    the audit-mode policies that would have denied
 * @param reason      human-readable why
 * @param http        L7 detail of an HTTP request (at most one of http, kafka, dns)
 */
public record FlowRecord(int schemaVersion, String time, String node, String origin, Peer source, Peer destination,
                         int port, String protocol, FlowVerdict verdict, List<String> policies, String reason,
                         Http http, Kafka kafka, Dns dns) implements Versioned {

    public static final int SCHEMA_VERSION = 1;

    public FlowRecord {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    /** One side of a flow; {@code endpoint} is set for a local endpoint ({@code ns/name}). */
    public record Peer(String endpoint, Long identity, String ip) {}

    /** {@code status}: the response status when known (the proxy's 403, or the backend's answer). */
    public record Http(String method, String path, String host, Integer status) {}

    /** A Kafka request as the Kafka proxy parsed it. */
    public record Kafka(Integer apiKey, Integer apiVersion, String clientId, List<String> topics) {
        public Kafka {
            topics = topics == null ? List.of() : List.copyOf(topics);
        }
    }

    /** A DNS question. */
    public record Dns(String qname) {}

    /** {@code http}, {@code kafka}, {@code dns}, or null for an L3/L4 flow. */
    public String l7Protocol() {
        return http != null ? "http" : kafka != null ? "kafka" : dns != null ? "dns" : null;
    }

    /** The Kafka key of {@code portcullis.flows}: flows of one destination stay in order. */
    public String key() {
        if (destination == null) {
            return node;
        }
        return destination.endpoint() != null ? node + "/" + destination.endpoint() : destination.ip();
    }
}
