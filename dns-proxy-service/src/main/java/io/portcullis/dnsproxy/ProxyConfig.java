package io.portcullis.dnsproxy;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** {@code portcullis.dns-proxy.*}; the DNS port is {@code portcullis.dns.port}, the node {@code portcullis.node.name}. */
@ConfigMapping(prefix = "portcullis.dns-proxy")
public interface ProxyConfig {

    /** Address the DNS port binds to. */
    String bindHost();

    /**
     * Where allowed queries go ({@code host:port}). Local mode: the proxy is the endpoints' resolver, so
     * there is no original destination to forward to.
     */
    String upstream();

    /**
     * The DNS server as policy sees it: the destination address whose identity DNS rules select (for
     * example kube-dns' address). Default: the upstream's address.
     */
    Optional<String> serverAddress();

    /** The destination port as policy sees it (DNS rules are usually on port 53). */
    int serverPort();

    /** {@code REFUSED} or {@code NXDOMAIN}: the answer to a denied question. */
    String deniedResponse();

    /** Learned answers are kept at least this long (the TTL published is raised to it). */
    Duration minTtl();

    /** At most this long an answer with new addresses waits for them to be realized on the node. */
    Duration holdTimeout();

    /** An upstream that does not answer within this gets the client a SERVFAIL. */
    Duration upstreamTimeout();

    /** node-agent on this node (the realized check). */
    String nodeAgentUrl();

    /** Where the rules snapshot lives, to serve before Kafka is reachable after a restart. */
    String stateDir();

    /** How often a changed rule state is written to the snapshot. */
    Duration snapshotInterval();

    Topics topics();

    interface Topics {
        String endpoints();

        String identities();

        String ipcache();

        String endpointIdentities();

        String endpointPolicies();

        String fqdnObservations();
    }
}
