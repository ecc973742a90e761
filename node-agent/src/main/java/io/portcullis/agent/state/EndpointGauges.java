package io.portcullis.agent.state;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code portcullis_agent_endpoints{state}}: how many local endpoints are ready, regenerating or waiting
 * (and so denied everything); {@code portcullis_agent_newest_revision}: the newest revision the node has
 * seen. Read from the current snapshot at scrape time.
 */
@ApplicationScoped
public class EndpointGauges {

    void register(@Observes StartupEvent event, MeterRegistry registry, NodeState state) {
        for (EndpointState s : EndpointState.values()) {
            Gauge.builder("portcullis.agent.endpoints", state,
                            n -> n.snapshot().endpoints().values().stream().filter(e -> e.state() == s).count())
                    .tag("state", s.wireName())
                    .description("local endpoints by state")
                    .register(registry);
        }
        Gauge.builder("portcullis.agent.newest.revision", state, n -> n.snapshot().newestRevision())
                .description("the newest policy revision this node has seen (-1: none)")
                .register(registry);
    }
}
