package io.portcullis.agent.proxy.http;

import io.smallrye.config.ConfigMapping;

/** {@code portcullis.proxy.http.*}. */
@ConfigMapping(prefix = "portcullis.proxy.http")
public interface HttpProxyConfig {

    /** Where the egress forward proxy listens. */
    String egressHost();

    /** The egress forward proxy's port; 0 turns it off. */
    int egressPort();

    /** Server instances per listener, each on its own event loop (Vert.x shares the socket between them). */
    int instances();

    /** Keep-alive connections per backend and event loop (each loop has its own pool). */
    int maxPoolSize();
}
