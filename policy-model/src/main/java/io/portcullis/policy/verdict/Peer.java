package io.portcullis.policy.verdict;

import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.identity.Identity;

/**
 * One side of a flow: its identity, and its resolved policy when it is a local endpoint (null for
 * an IP that is no endpoint here: that side is not evaluated).
 */
public record Peer(String name, Identity identity, EndpointPolicy policy) {

    public boolean isLocalEndpoint() {
        return policy != null;
    }

    @Override
    public String toString() {
        return name != null ? name : "identity " + identity.id();
    }
}
