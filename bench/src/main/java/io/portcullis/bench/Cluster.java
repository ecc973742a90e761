package io.portcullis.bench;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.engine.EndpointPolicy;
import io.portcullis.policy.engine.EngineConfig;
import io.portcullis.policy.engine.PolicyEngine;
import io.portcullis.policy.engine.PolicyResolver;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The workload wired into a {@link PolicyEngine} the way the compiler does it (and
 * {@code InProcessCluster}): identities first, then policies, then every endpoint's policy resolved.
 * Keeps the endpoint subjects by identity id, so affected ids map back to subjects.
 */
public final class Cluster {

    private final Workload workload;
    private final PolicyEngine engine;
    private final Map<Long, Subject> subjects = new LinkedHashMap<>();

    private Cluster(Workload workload) {
        this.workload = workload;
        this.engine = new PolicyEngine(EngineConfig.DEFAULT);
    }

    /** Fresh engine, every identity and policy loaded; nothing resolved yet. */
    public static Cluster load(Workload w) {
        Cluster c = new Cluster(w);
        c.engine.setEgressNamedPorts(Workload.NAMED_PORTS);
        w.otherIdentities().forEach(c.engine::upsertIdentity);
        for (Identity id : w.endpointIdentities()) {
            c.engine.upsertIdentity(id);
            c.subjects.put(id.id(), subject(id));
        }
        w.policies().forEach(c.engine::upsertPolicy);
        return c;
    }

    public static Subject subject(Identity id) {
        return new Subject(id, Workload.NAMED_PORTS);
    }

    public PolicyEngine engine() {
        return engine;
    }

    public Map<Long, Subject> subjects() {
        return subjects;
    }

    /** Resolves (or fetches from the engine's cache) every endpoint's policy. */
    public void resolveAll(Consumer<EndpointPolicy> sink) {
        for (Subject s : subjects.values()) {
            sink.accept(engine.policyFor(s));
        }
    }

    /** Re-resolves the endpoints among {@code affected} (ids of reserved/CIDR peers have no subject). */
    public int resolveAffected(Set<Long> affected, Consumer<EndpointPolicy> sink) {
        int n = 0;
        for (long id : affected) {
            Subject s = subjects.get(id);
            if (s != null) {
                sink.accept(engine.policyFor(s));
                n++;
            }
        }
        return n;
    }

    /**
     * The naive reference: every endpoint's policy computed from scratch (rule selection and
     * resolution, no cache), with the engine's current selector cache.
     */
    public void recomputeAll(Consumer<EndpointPolicy> sink) {
        for (Subject s : subjects.values()) {
            sink.accept(PolicyResolver.resolve(s, engine.selectingRules(s.identity()), engine.selectorCache(),
                    Workload.NAMED_PORTS));
        }
    }

    /** Adds an endpoint identity (and its subject). */
    public Set<Long> addIdentity(Identity id) {
        subjects.put(id.id(), subject(id));
        return engine.upsertIdentity(id);
    }

    public Set<Long> removeIdentity(long id) {
        subjects.remove(id);
        return engine.removeIdentity(id);
    }

    public Set<Long> upsertPolicy(CiliumPolicy p) {
        return engine.upsertPolicy(p);
    }

    public Workload workload() {
        return workload;
    }

    public List<CiliumPolicy> policies() {
        return workload.policies();
    }
}
