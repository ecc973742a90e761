package io.portcullis.kafkaproxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataResponseData;

/**
 * Broker address → the proxy listener for it, applied to the responses that tell clients where
 * brokers are. A broker without a route is left as is (and logged by the caller): the client would
 * then bypass this proxy for it, which the datapath redirect must catch.
 */
final class AddressRewriter {

    private final Map<String, InetSocketAddress> byHostPort = new HashMap<>();

    /** @param routes routes with their bound listen addresses (no port 0) */
    AddressRewriter(List<BrokerRoute> routes) {
        for (BrokerRoute r : routes) {
            InetSocketAddress up = r.upstream();
            byHostPort.put(key(up.getHostString(), up.getPort()), r.listen());
            InetAddress a = up.getAddress();
            if (a != null) {
                byHostPort.put(key(a.getHostAddress(), up.getPort()), r.listen());
            }
        }
    }

    Optional<InetSocketAddress> listenerFor(String host, int port) {
        return Optional.ofNullable(byHostPort.get(key(host, port)));
    }

    /** @return the number of brokers left unmapped */
    int rewrite(MetadataResponseData data) {
        int unmapped = 0;
        for (MetadataResponseData.MetadataResponseBroker b : data.brokers()) {
            unmapped += redirect(b.host(), b.port(), (h, p) -> b.setHost(h).setPort(p));
        }
        return unmapped;
    }

    int rewrite(FindCoordinatorResponseData data) {
        int unmapped = 0;
        if (data.host() != null && !data.host().isEmpty()) { // v0-3: one coordinator in the body
            unmapped += redirect(data.host(), data.port(), (h, p) -> data.setHost(h).setPort(p));
        }
        for (FindCoordinatorResponseData.Coordinator c : data.coordinators()) {
            if (c.host() != null && !c.host().isEmpty()) { // an empty host is an error entry
                unmapped += redirect(c.host(), c.port(), (h, p) -> c.setHost(h).setPort(p));
            }
        }
        return unmapped;
    }

    int rewrite(DescribeClusterResponseData data) {
        int unmapped = 0;
        for (DescribeClusterResponseData.DescribeClusterBroker b : data.brokers()) {
            unmapped += redirect(b.host(), b.port(), (h, p) -> b.setHost(h).setPort(p));
        }
        return unmapped;
    }

    /** Points one broker address at its listener through {@code set}; 1 when it has no route, else 0. */
    private int redirect(String host, int port, BiConsumer<String, Integer> set) {
        Optional<InetSocketAddress> l = listenerFor(host, port);
        l.ifPresent(a -> set.accept(a.getHostString(), a.getPort()));
        return l.isPresent() ? 0 : 1;
    }

    private static String key(String host, int port) {
        return host + ":" + port;
    }
}
