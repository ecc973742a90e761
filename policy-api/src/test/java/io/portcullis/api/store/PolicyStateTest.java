package io.portcullis.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.mesh.policy.PolicyEvent;
import org.junit.jupiter.api.Test;

/** Replay rules: per-key revision order, duplicates and cross-partition disorder. */
class PolicyStateTest {

    private final PolicyState state = new PolicyState();

    @Test
    void theNextRevisionIsOneAboveTheHighestSeen() {
        assertThat(state.nextRevision()).isEqualTo(1);
        state.apply(PolicyEvent.Applied.of(7, PolicyStoreTest.cnp("a", "web")));
        state.apply(PolicyEvent.Deleted.of(4, "ns/other")); // another partition, read late
        assertThat(state.revision()).isEqualTo(7);
        assertThat(state.nextRevision()).isEqualTo(8);
    }

    @Test
    void anEventSeenTwiceOrOlderThanTheKeysLastIsIgnored() {
        var a = PolicyEvent.Applied.of(3, PolicyStoreTest.cnp("a", "web"));
        assertThat(state.apply(a)).isTrue();
        assertThat(state.apply(PolicyEvent.Deleted.of(5, "ns/a"))).isTrue();
        assertThat(state.apply(a)).isFalse(); // the writer applied it, then the replay saw it again
        assertThat(state.get("ns/a")).isEmpty();
    }

    @Test
    void aTombstoneRemovesTheKey() {
        state.apply(PolicyEvent.Applied.of(1, PolicyStoreTest.cnp("a", "web")));
        state.remove("ns/a");
        assertThat(state.list()).isEmpty();
    }

    @Test
    void aReservedRevisionIsNeverHandedOutAgain() {
        state.reserve(4);
        assertThat(state.nextRevision()).isEqualTo(5);
        state.apply(PolicyEvent.Applied.of(9, PolicyStoreTest.cnp("a", "web")));
        assertThat(state.nextRevision()).isEqualTo(10);
    }
}
