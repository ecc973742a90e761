package io.portcullis.policy.engine;

import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.selector.Selector;
import java.util.Set;

/**
 * The resolved policy of one subject: the map for the datapath plus, per direction, the L4 filters
 * the L7 proxies evaluate. {@code selectors} lists every peer selector it used, so an identity change
 * recomputes only the policies whose selectors changed.
 */
public record EndpointPolicy(Subject subject, MapState mapState, DirectionPolicy ingress, DirectionPolicy egress,
                             Set<Selector> selectors, Set<String> policies) {

    public EndpointPolicy {
        selectors = Set.copyOf(selectors);
        policies = Set.copyOf(policies);
    }

    public DirectionPolicy direction(Direction d) {
        return d == Direction.INGRESS ? ingress : egress;
    }
}
