package io.portcullis.fqdn.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.fqdn.mesh.FqdnService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The cache's size on {@code /q/metrics}: names, IPs, zombies, mappings, selected IPs, evictions. */
@ApplicationScoped
public class FqdnMetrics {

    void register(@Observes StartupEvent event, MeterRegistry registry, FqdnService service) {
        Gauge.builder("portcullis.fqdn.cache.names", service, s -> s.stats().names())
                .description("distinct names in the cache").register(registry);
        Gauge.builder("portcullis.fqdn.cache.ips", service, s -> s.stats().ips())
                .description("distinct IPs in the cache").register(registry);
        Gauge.builder("portcullis.fqdn.cache.zombies", service, s -> s.stats().zombies())
                .description("expired mappings kept until a GC finds them dead").register(registry);
        Gauge.builder("portcullis.fqdn.cache.mappings", service, s -> s.stats().mappings())
                .description("(endpoint, name, IP) mappings, live and zombie").register(registry);
        Gauge.builder("portcullis.fqdn.selected.ips", service, s -> s.stats().selectedIps())
                .description("IPs some toFQDNs selector selects").register(registry);
        FunctionCounter.builder("portcullis.fqdn.cache.evictions", service, s -> s.stats().evictions())
                .description("mappings evicted by the per-name, per-IP and zombie limits").register(registry);
    }
}
