package io.portcullis.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class PolicyStateReadinessTest {

    @Test
    void downUntilTheTopicIsReplayed() {
        PolicyState state = new PolicyState();
        PolicyReplay notStarted = new PolicyReplay(state, new SmallRyeConfigBuilder().build());

        HealthCheckResponse r = new PolicyStateReadiness(notStarted, state).call();

        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("rebuilding", true));
    }
}
