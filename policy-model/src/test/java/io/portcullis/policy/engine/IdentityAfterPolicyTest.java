package io.portcullis.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Peer;
import io.portcullis.policy.verdict.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conformance case deny-precedence with identities arriving before, between and after the policies. */
class IdentityAfterPolicyTest {

    private static final String ALLOW = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: allow-namespace, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: db}}
              ingress:
              - fromEndpoints: [{}]
            """;
    private static final String DENY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: deny-attacker-db-port, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: db}}
              ingressDeny:
              - fromEndpoints: [{matchLabels: {role: attacker}}]
                toPorts: [{ports: [{port: '5432', protocol: TCP}]}]
            """;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void denyWinsWhateverTheOrder(int order) {
        PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
        for (ReservedIdentity r : ReservedIdentity.values()) {
            engine.upsertIdentity(r.identity());
        }
        EndpointLabels el = EndpointLabels.defaults();
        Identity db = new Identity(8400, el.identityLabels("default", Map.of("app", "db"), Map.of(), "default"));
        Identity intruder = new Identity(8417,
                el.identityLabels("default", Map.of("app", "web", "role", "attacker"), Map.of(), "default"));
        List<Runnable> steps = switch (order) {
            case 0 -> List.of(() -> engine.upsertIdentity(db), () -> engine.upsertIdentity(intruder), () -> policies(engine));
            case 1 -> List.of(() -> policies(engine), () -> engine.upsertIdentity(db), () -> engine.upsertIdentity(intruder));
            case 2 -> List.of(() -> engine.upsertIdentity(db), () -> policies(engine), () -> engine.upsertIdentity(intruder));
            case 3 -> List.of(() -> engine.upsertIdentity(intruder), () -> policies(engine), () -> engine.upsertIdentity(db));
            case 4 -> List.of(() -> engine.upsertIdentity(db), () -> engine.upsertPolicy(TestPolicies.yaml(ALLOW)),
                    () -> engine.upsertIdentity(intruder), () -> engine.upsertPolicy(TestPolicies.yaml(DENY)));
            default -> List.of(() -> engine.upsertIdentity(db), () -> engine.upsertPolicy(TestPolicies.yaml(DENY)),
                    () -> engine.upsertIdentity(intruder), () -> engine.upsertPolicy(TestPolicies.yaml(ALLOW)));
        };
        steps.forEach(Runnable::run);
        EndpointPolicy dbPolicy = engine.policyFor(new Subject(db, Map.of()));
        EndpointPolicy intruderPolicy = engine.policyFor(new Subject(intruder, Map.of()));
        var v = Decider.decide(new Peer("intruder", intruder, intruderPolicy), new Peer("db", db, dbPolicy), Protocol.TCP, 5432);
        assertThat(v.verdict()).isEqualTo(Decision.DENIED);
        var v2 = Decider.decide(new Peer("intruder", intruder, intruderPolicy), new Peer("db", db, dbPolicy), Protocol.TCP, 8080);
        assertThat(v2.verdict()).isEqualTo(Decision.ALLOWED);
    }

    private static void policies(PolicyEngine engine) {
        engine.upsertPolicy(TestPolicies.yaml(ALLOW));
        engine.upsertPolicy(TestPolicies.yaml(DENY));
    }
}
