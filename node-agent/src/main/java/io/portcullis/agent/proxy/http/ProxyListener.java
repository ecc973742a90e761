package io.portcullis.agent.proxy.http;

import io.portcullis.agent.proxy.kafka.KafkaListener;
import io.portcullis.mesh.endpoint.EndpointRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ingress listener: the proxy accepts on the endpoint's {@code ip:port} (what clients dial) and forwards
 * what policy allows to the endpoint's real server at {@code backendHost:backendPort}.
 */
public record ProxyListener(String ip, int port, String endpoint, String backendHost, int backendPort) {

    /** {@code ip:port}, the listener's identity. */
    public String address() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** The listeners a registration asks for: each address of the endpoint × each port with an HTTP backend
     * (not a {@code kafka://} one). */
    public static Map<String, ProxyListener> of(String endpoint, EndpointRecord spec) {
        Map<String, ProxyListener> out = new TreeMap<>();
        spec.backendsOrEmpty().forEach((port, backend) -> {
            if (KafkaListener.isKafka(backend)) { // the Kafka proxy's
                return;
            }
            Backend b = Backend.parse(backend);
            for (String ip : spec.ips()) {
                ProxyListener l = new ProxyListener(ip, Integer.parseInt(port), endpoint, b.host(), b.port());
                out.put(l.address(), l);
            }
        });
        return out;
    }

    /** A {@code host:port} ({@code [v6]:port} for IPv6). */
    public record Backend(String host, int port) {

        /** @throws IllegalArgumentException saying what is wrong */
        public static Backend parse(String text) {
            if (text == null) {
                throw new IllegalArgumentException("must be host:port, got null");
            }
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("must be host:port, got '" + text + "'");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException("an IPv6 backend must be written [address]:port, got '" + text + "'");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number, got '" + text + "'");
            }
            if (port < 1 || port > 65535 || host.isBlank()) {
                throw new IllegalArgumentException("must be host:port with a port between 1 and 65535, got '" + text + "'");
            }
            return new Backend(host, port);
        }
    }
}
