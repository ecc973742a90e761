package io.portcullis.policy.engine;

import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.selector.Selector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All rules of one direction on one protocol and port (range), per peer selector
 * ({@code pkg/policy/l4.go L4Filter}). {@code protocol} {@link Protocol#ANY} with port 0 holds the
 * L3-only rules. Immutable once the resolver has built it.
 */
public record L4Filter(Protocol protocol, int port, int endPort, Map<Selector, PerSelectorPolicy> perSelector) {

    public L4Filter {
        perSelector = Collections.unmodifiableMap(new LinkedHashMap<>(perSelector));
    }

    /** True when a packet's protocol and port fall under this filter. */
    public boolean covers(Protocol p, int dport) {
        if (protocol == Protocol.ANY) {
            return true;
        }
        if (protocol != p) {
            return false;
        }
        return (port == 0 && endPort == 0) || dport == port || (endPort > port && dport >= port && dport <= endPort);
    }

    /** The filter's identity within one direction. */
    public record Key(Protocol protocol, int port, int endPort) {}
}
