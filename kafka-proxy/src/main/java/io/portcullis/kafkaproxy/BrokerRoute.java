package io.portcullis.kafkaproxy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One proxy listener and the broker behind it. The proxy runs one listener per upstream broker and
 * rewrites broker addresses in Metadata, FindCoordinator and DescribeCluster responses to the
 * listeners, so clients reach every broker through the proxy. Port 0 picks a free port at start.
 *
 * @param listen   where the proxy listens
 * @param upstream the broker's advertised address (host as the broker advertises it)
 */
public record BrokerRoute(InetSocketAddress listen, InetSocketAddress upstream) {

    public BrokerRoute {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
    }
}
