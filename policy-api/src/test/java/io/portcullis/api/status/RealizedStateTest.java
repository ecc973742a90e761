package io.portcullis.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.realized.RealizedRecord;
import org.junit.jupiter.api.Test;

class RealizedStateTest {

    private final RealizedState state = new RealizedState();

    @Test
    void aNodeIsAsFarAsItsSlowestEndpoint() {
        state.record(RealizedRecord.of("node-1", "ns/a", 7));
        state.record(RealizedRecord.of("node-1", "ns/b", 5));
        state.record(RealizedRecord.of("node-2", "ns/c", 9));
        state.record(RealizedRecord.of("node-1", "ns/b", 8)); // newer report for the same endpoint

        var view = state.view(7);
        assertThat(view).containsOnlyKeys("node-1", "node-2");
        assertThat(view.get("node-1")).isEqualTo(new PolicyStatus.NodeRealized(7, 2, true));
        assertThat(state.view(8).get("node-1")).isEqualTo(new PolicyStatus.NodeRealized(7, 2, false));
        assertThat(state.view(8).get("node-2").ready()).isTrue();
    }

    @Test
    void aTombstoneRemovesTheEndpointAndAnEmptyNode() {
        state.record(RealizedRecord.of("node-1", "ns/a", 7));
        state.record(RealizedRecord.of("node-1", "ns/b", 2));
        state.remove("node-1/ns/b");
        assertThat(state.view(7).get("node-1")).isEqualTo(new PolicyStatus.NodeRealized(7, 1, true));
        state.remove("node-1/ns/a");
        state.remove("garbage");
        assertThat(state.view(7)).isEmpty();
    }
}
