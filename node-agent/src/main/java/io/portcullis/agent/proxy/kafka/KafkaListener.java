package io.portcullis.agent.proxy.kafka;

import io.portcullis.agent.proxy.http.ProxyListener.Backend;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Kafka proxy listener: accepts on the endpoint's {@code ip:port} and forwards what policy allows to
 * the broker at {@code brokerHost:brokerPort}. A registration marks a backend as a Kafka broker with the
 * {@code kafka://} prefix ({@code "backends": {"9092": "kafka://127.0.0.1:9092"}}), so the registration
 * format and the mesh's endpoint record stay as they are; unprefixed backends stay HTTP.
 *
 * @param brokerHost the broker's host as it advertises itself (the proxy rewrites that address in
 *                   Metadata / FindCoordinator / DescribeCluster answers to this listener)
 */
public record KafkaListener(String ip, int port, String endpoint, String brokerHost, int brokerPort) {

    /** Marks a backend as a Kafka broker. */
    public static final String PREFIX = "kafka://";

    public static boolean isKafka(String backend) {
        return backend != null && backend.startsWith(PREFIX);
    }

    /**
     * The broker of a {@code kafka://host:port} backend.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Backend broker(String backend) {
        if (!isKafka(backend)) {
            throw new IllegalArgumentException("a Kafka backend must be kafka://host:port, got '" + backend + "'");
        }
        return Backend.parse(backend.substring(PREFIX.length()));
    }

    /** {@code ip:port}, the listener's identity. */
    public String address() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** The Kafka listeners a registration asks for: each address of the endpoint × each Kafka backend port. */
    public static Map<String, KafkaListener> of(String endpoint, EndpointRecord spec) {
        Map<String, KafkaListener> out = new TreeMap<>();
        spec.backendsOrEmpty().forEach((port, backend) -> {
            if (!isKafka(backend)) {
                return;
            }
            Backend b = broker(backend);
            for (String ip : spec.ips()) {
                KafkaListener l = new KafkaListener(ip, Integer.parseInt(port), endpoint, b.host(), b.port());
                out.put(l.address(), l);
            }
        });
        return out;
    }
}
