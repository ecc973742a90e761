package io.portcullis.api.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.api.store.PolicyStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code portcullis_policy_applies_total} and {@code _deletes_total} count stored changes (per policy;
 * an identical re-apply stores nothing), {@code _rejects_total} refused requests by status code, and
 * {@code portcullis_policy_revision} is the highest revision stored.
 */
@ApplicationScoped
public class PolicyMetrics {

    private final MeterRegistry registry;
    private final Counter applies;
    private final Counter deletes;

    public PolicyMetrics(MeterRegistry registry, PolicyStore store) {
        this.registry = registry;
        this.applies = Counter.builder("portcullis.policy.applies").description("policies stored").register(registry);
        this.deletes = Counter.builder("portcullis.policy.deletes").description("policies deleted").register(registry);
        Gauge.builder("portcullis.policy.revision", store, PolicyStore::revision)
                .description("highest policy revision stored").register(registry);
    }

    void applied(int policies) {
        applies.increment(policies);
    }

    void deleted() {
        deletes.increment();
    }

    void rejected(int code) {
        registry.counter("portcullis.policy.rejects", "code", Integer.toString(code)).increment();
    }
}
