package io.portcullis.mesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    private static final TopicSpec COMPACTED =
            new TopicSpec("t", 3, (short) 1, Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"));

    @Test
    void matchingTopicNeedsNothing() {
        TopicPlan plan = TopicPlan.of(COMPACTED, 3, 1,
                Map.of("cleanup.policy", "compact", "min.insync.replicas", "1", "retention.ms", "604800000"));
        assertThat(plan.configChanges()).isEmpty();
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    void differingOrMissingSettingsAreAltered() {
        TopicPlan plan = TopicPlan.of(COMPACTED, 3, 1, Map.of("cleanup.policy", "delete"));
        assertThat(plan.configChanges()).containsExactlyInAnyOrderEntriesOf(
                Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"));
    }

    @Test
    void partitionsAndReplicationAreOnlyReported() {
        TopicPlan plan = TopicPlan.of(COMPACTED, 1, 2, COMPACTED.configs());
        assertThat(plan.configChanges()).isEmpty();
        assertThat(plan.warnings()).hasSize(2)
                .anySatisfy(w -> assertThat(w).contains("1 partitions, not the configured 3"))
                .anySatisfy(w -> assertThat(w).contains("replication factor 2"));
    }

    @Test
    void specRejectsImpossibleSizes() {
        assertThatThrownBy(() -> new TopicSpec("t", 0, (short) 1, Map.of())).hasMessageContaining("partitions");
        assertThatThrownBy(() -> new TopicSpec("t", 1, (short) 0, Map.of())).hasMessageContaining("replication-factor");
    }
}
