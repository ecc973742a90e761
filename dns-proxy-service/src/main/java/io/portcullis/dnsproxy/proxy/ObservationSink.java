package io.portcullis.dnsproxy.proxy;

import io.portcullis.dnsproxy.dns.DnsWire;

/** Where learned answers go (Kafka in the service). Must not block: called on the proxy's event loop. */
@FunctionalInterface
public interface ObservationSink {
    void observed(String endpoint, DnsWire.Learned learned);
}
