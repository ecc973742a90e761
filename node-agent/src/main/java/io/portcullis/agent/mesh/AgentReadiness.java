package io.portcullis.agent.mesh;

import io.portcullis.agent.state.NodeState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the state is rebuilt from every topic. A broker outage afterwards does not make the agent
 * unready: it keeps enforcing what it has (fail-static). A topic that stopped on an undecodable record does.
 */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

    private final MeshReplay replay;
    private final NodeState state;

    public AgentReadiness(MeshReplay replay, NodeState state) {
        this.replay = replay;
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("node-agent state").status(replay.isReady())
                .withData("node", state.node())
                .withData("endpoints", state.snapshot().endpoints().size());
        if (replay.replaying() != null) {
            b.withData("replaying", replay.replaying());
        }
        if (replay.failure() != null) {
            b.withData("failure", replay.failure());
        }
        return b.build();
    }
}
