package io.portcullis.dnsproxy.proxy;

import io.portcullis.dnsproxy.dns.DnsWire;
import io.portcullis.dnsproxy.rules.EndpointKey;
import java.util.Set;

/** Where learned answers go (Kafka in the service). Must not block: called on the proxy's event loop. */
@FunctionalInterface
public interface ObservationSink {
    void observed(EndpointKey endpoint, DnsWire.Learned learned);

    /** Forget what was kept for endpoint incarnations that are gone (the rules no longer have them). */
    default void retain(Set<EndpointKey> live) {}
}
