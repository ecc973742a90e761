package io.portcullis.compiler.compile;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the compiler's state after a flush, for readers on other threads (REST).
 * The compile loop replaces it as a whole; nothing in it is ever mutated.
 *
 * @param revision   the highest policy revision consumed
 * @param endpoints  every known endpoint, by key
 * @param byName     by {@code namespace/name}
 * @param byIp       by each of the endpoint's IPs, as {@code IpAddress.toString()} spells them
 * @param ipcache    a read-only ipcache snapshot
 * @param identities every known identity, by number
 */
public record DesiredState(long revision, int policies, Map<String, EndpointView> endpoints,
                           Map<String, EndpointView> byName, Map<String, EndpointView> byIp, IpCache ipcache,
                           Map<Long, Identity> identities) {

    public static final DesiredState EMPTY = new DesiredState(0, 0, Map.of(), Map.of(), Map.of(),
            new IpCache().snapshot(), Map.of());

    public List<EndpointView> endpointList() {
        return endpoints.values().stream().sorted(Comparator.comparing(EndpointView::key)).toList();
    }
}
