package io.portcullis.fqdn.app;

import io.portcullis.fqdn.mesh.FqdnService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the cache is restored from its topics and the selections are republished where they differ. */
@Readiness
@ApplicationScoped
public class FqdnHealth implements HealthCheck {

    private final FqdnService service;

    public FqdnHealth(FqdnService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        FqdnService.Stats s = service.stats();
        var r = HealthCheckResponse.named("fqdn-cache").status(service.isReady())
                .withData("names", s.names()).withData("ips", s.ips()).withData("selectedIps", s.selectedIps());
        String failure = service.failure();
        if (failure != null) {
            r.withData("error", failure);
        }
        return r.build();
    }
}
