package io.portcullis.policy.mapstate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Cilium {@code pkg/policy/resolve_test.go} {@code TestEndpointPolicy_Lookup_PortRange} and
 * {@code TestEndpointPolicy_Lookup_PortRange_L4Only}: a flow on a single port inside a stored port-range
 * entry (64–127/TCP, prefix length 10) finds that entry, with its provenance; a port outside misses.
 */
class EndpointPolicyLookupPortRangeTest {

    @Test
    void lookupInsideStoredRange() {
        MapState m = MapState.builder()
                .add(new MapKey(192, Direction.INGRESS, Protocol.TCP, 64, 10), MapEntry.allow("allow-egress-port-range"))
                .build();
        MapState.Match hit = m.lookup(192, Direction.INGRESS, Protocol.TCP, 80);
        assertThat(hit).as("lookup for a port inside a stored range").isNotNull();
        assertThat(hit.entry().derivedFrom()).containsExactly("allow-egress-port-range");
        assertThat(hit.key()).isEqualTo(new MapKey(192, Direction.INGRESS, Protocol.TCP, 64, 10));
        assertThat(m.lookup(192, Direction.INGRESS, Protocol.TCP, 200)).as("lookup outside the range").isNull();
    }

    @Test
    void lookupInsideStoredL4OnlyRange() {
        MapState m = MapState.builder()
                .add(new MapKey(0, Direction.INGRESS, Protocol.TCP, 64, 10), MapEntry.allow("allow-l4only-port-range"))
                .build();
        MapState.Match hit = m.lookup(0, Direction.INGRESS, Protocol.TCP, 80);
        assertThat(hit).as("L4-only lookup for a port inside a stored range").isNotNull();
        assertThat(hit.entry().derivedFrom()).containsExactly("allow-l4only-port-range");
        // any peer falls back to the identity-0 entry as well
        assertThat(m.lookup(192, Direction.INGRESS, Protocol.TCP, 127)).isNotNull();
        assertThat(m.lookup(192, Direction.INGRESS, Protocol.TCP, 128)).isNull();
    }
}
