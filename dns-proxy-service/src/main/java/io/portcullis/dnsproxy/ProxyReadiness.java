package io.portcullis.dnsproxy;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the DNS port is bound and there are rules to answer from: replayed from Kafka, or restored
 * from the snapshot while Kafka is not reachable yet (the proxy serves those; it is fail-static).
 */
@Readiness
@ApplicationScoped
public class ProxyReadiness implements HealthCheck {

    private final DnsProxyService service;

    public ProxyReadiness(DnsProxyService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        var rules = service.rules();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("dns-proxy")
                .status(service.isServing() && (rules.isReplayed() || rules.isRestored()))
                .withData("serving", service.isServing())
                .withData("replayed", rules.isReplayed())
                .withData("restored", rules.isRestored());
        if (rules.replaying() != null) {
            b.withData("replaying", rules.replaying());
        }
        if (rules.failure() != null) {
            b.withData("failure", rules.failure());
        }
        return b.build();
    }
}
