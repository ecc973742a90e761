package io.portcullis.compiler.mesh;

import io.portcullis.compiler.compile.DesiredState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every input topic was replayed to its end and the rebuilt state was published: before that,
 * the REST answers and the published maps could miss policies or endpoints. DOWN with the reason when an
 * input cannot be read (a record that does not decode stops its topic rather than being skipped).
 */
@Readiness
@ApplicationScoped
public class CompilerHealth implements HealthCheck {

    private final CompilerService service;

    public CompilerHealth(CompilerService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        DesiredState s = service.state();
        var r = HealthCheckResponse.named("compiled-state").status(service.isReady())
                .withData("revision", s.revision())
                .withData("endpoints", s.endpoints().size())
                .withData("policiesHeldForIdentities", service.heldPolicies());
        String failure = service.failure();
        if (failure != null) {
            r.withData("error", failure);
        } else if (!service.isReady()) {
            r.withData("replayingTopics", service.replaying());
        }
        return r.build();
    }
}
