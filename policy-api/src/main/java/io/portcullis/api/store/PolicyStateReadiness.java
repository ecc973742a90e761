package io.portcullis.api.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready} is DOWN until the policy state is rebuilt from the topic. */
@Readiness
@ApplicationScoped
public class PolicyStateReadiness implements HealthCheck {

    private final PolicyReplay replay;
    private final PolicyState state;

    public PolicyStateReadiness(PolicyReplay replay, PolicyState state) {
        this.replay = replay;
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("policy-state").status(replay.isReady()).withData("revision", state.revision());
        Throwable failure = replay.failure();
        if (failure != null) {
            response.withData("error", String.valueOf(failure.getMessage()));
        } else if (!replay.isReady()) {
            response.withData("rebuilding", true);
        }
        return response.build();
    }
}
