package io.portcullis.kafkaproxy.spi;

import java.net.InetSocketAddress;

/** Resolves a new connection's source once, when it is accepted; the result holds for the connection's life. */
@FunctionalInterface
public interface SourceResolver {

    /**
     * @param remote the client's address
     * @param local  the proxy listener the client connected to
     */
    Source resolve(InetSocketAddress remote, InetSocketAddress local);

    /** The connection {@link #resolve} named ended (called once, on its I/O thread: must not block). */
    default void closed(Source source, InetSocketAddress local) {}
}
