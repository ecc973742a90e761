package io.portcullis.identity.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the topics are replayed; live while the loop runs. */
public final class IdentityHealth {

    private IdentityHealth() {}

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        private final IdentityService service;

        public Ready(IdentityService service) {
            this.service = service;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("identity-topics-replayed").status(service.isReady())
                    .withData("ownedSlices", service.ownedSlices().toString()).build();
        }
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        private final IdentityService service;

        public Live(IdentityService service) {
            this.service = service;
        }

        @Override
        public HealthCheckResponse call() {
            Throwable f = service.failure();
            var b = HealthCheckResponse.named("identity-loop").status(service.isAlive());
            return (f == null ? b : b.withData("failure", String.valueOf(f))).build();
        }
    }
}
