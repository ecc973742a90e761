package io.portcullis.kafkaproxy.spi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The client side of a proxied connection as the host resolved it.
 *
 * @param address  the client's socket address as the proxy saw it
 * @param identity the host's name for the source (an endpoint key such as {@code default/empire-hq},
 *                 or a numeric identity); never null, {@code ""} when unknown
 */
public record Source(InetSocketAddress address, String identity) {

    public Source {
        Objects.requireNonNull(address, "address");
        identity = identity == null ? "" : identity;
    }
}
