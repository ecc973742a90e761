package io.portcullis.compiler.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.compiler.Fixtures;
import io.portcullis.compiler.compile.Change;
import io.portcullis.compiler.compile.EndpointCompiler;
import io.portcullis.mesh.endpoint.EndpointRecord;
import io.portcullis.mesh.identity.EndpointIdentityRecord;
import io.portcullis.mesh.identity.IdentityRecord;
import io.portcullis.mesh.identity.IpCacheRecord;
import io.portcullis.mesh.policy.PolicyEvent;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCases;
import io.portcullis.policy.conformance.InProcessCluster;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.verdict.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Explain answers from the compiler's desired state equal the in-process control plane's. */
class ExplainerTest {

    @Test
    void starwarsStepByStepAnswersLikeInProcessCluster() throws Exception {
        ConformanceCase c = ConformanceCases.load(ConformanceCases.sharedCasesDir().resolve("starwars-demo.yaml"));
        InProcessCluster cluster = new InProcessCluster();
        EndpointCompiler compiler = new EndpointCompiler();
        for (ConformanceCase.CaseEndpoint e : c.endpointsOrEmpty()) {
            var local = cluster.addEndpoint(e);
            EndpointRecord ep = Fixtures.endpoint("node-1", e);
            compiler.apply(new Change.Identity(local.identity().id(), IdentityRecord.of(local.identity())));
            compiler.apply(new Change.Endpoint(ep.key(), ep));
            compiler.apply(new Change.EndpointIdentity(ep.key(), EndpointIdentityRecord.of(ep.key(), local.identity().id())));
        }
        long revision = 0;
        int checks = 0;
        for (ConformanceCase.Step step : c.allSteps()) {
            revision++;
            if (step.apply() != null) {
                cluster.apply(step.apply());
                for (var p : Fixtures.policies(step.apply())) {
                    compiler.apply(new Change.Policy(p.key(), PolicyEvent.Applied.of(revision, p)));
                }
            }
            for (String ref : step.delete() == null ? List.<String>of() : step.delete()) {
                cluster.delete(ref);
                String key = policyKey(ref);
                compiler.apply(new Change.Policy(key, PolicyEvent.Deleted.of(revision, key)));
            }
            compiler.flush(false);
            for (ConformanceCase.Check check : step.checksOrEmpty()) {
                Verdict expected = cluster.check(check);
                Verdict actual = Explainer.explain(compiler.state(), Fixtures.request(check));
                assertThat(actual).as(check.toString()).isEqualTo(expected);
                assertThat(actual.verdict().name()).as(check.toString()).isEqualTo(check.expect());
                checks++;
            }
        }
        assertThat(checks).isEqualTo(9);
    }

    @Test
    void anIpThatIsNoEndpointResolvesThroughTheIpcacheElseWorldAndBadFlowsAreRefused() {
        EndpointCompiler compiler = new EndpointCompiler();
        compiler.apply(new Change.IpCache("10.0.0.0/8", IpCacheRecord.of("10.0.0.0/8", 16777217, "cidr")));
        compiler.flush(true);

        Verdict v = Explainer.explain(compiler.state(), ipFlow("10.1.2.3", "192.0.2.1"));
        assertThat(v.egress().decision().name()).isEqualTo("NOT_EVALUATED");
        assertThat(v.verdict().name()).isEqualTo("ALLOWED");
        assertThatThrownBy(() -> Explainer.explain(compiler.state(), new ExplainRequest(
                new ExplainRequest.Target("default/nobody", null), new ExplainRequest.Target(null, "10.1.2.3"),
                80, "TCP", null, null, null)))
                .isInstanceOf(Explainer.ExplainException.class).hasMessageContaining("unknown endpoint");
        assertThatThrownBy(() -> Explainer.explain(compiler.state(), new ExplainRequest(
                new ExplainRequest.Target("default/a", "10.1.2.3"), new ExplainRequest.Target(null, "10.1.2.3"),
                80, "TCP", null, null, null)))
                .isInstanceOf(Explainer.ExplainException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> Explainer.explain(compiler.state(), new ExplainRequest(
                new ExplainRequest.Target(null, "10.1.2.3"), new ExplainRequest.Target(null, "10.1.2.3"),
                80, "SCTPX", null, null, null)))
                .isInstanceOf(Explainer.ExplainException.class).hasMessageContaining("unknown protocol");
    }

    @Test
    void aCidrPolicyMatchesThePeerIdentityTheIpcacheGives() {
        EndpointCompiler compiler = new EndpointCompiler();
        EndpointRecord ep = Fixtures.endpoint("n", "default", "client", Map.of("app", "client"), List.of("127.0.0.9"), Map.of());
        compiler.apply(new Change.Identity(256, IdentityRecord.of(Fixtures.identity(256, ep))));
        compiler.apply(new Change.Endpoint(ep.key(), ep));
        compiler.apply(new Change.EndpointIdentity(ep.key(), EndpointIdentityRecord.of(ep.key(), 256)));
        // identity-service's CIDR identity for 192.0.2.0/24, and its ipcache entry
        Identity cidr = new Identity(16777217, CidrLabels.defaults().labels("192.0.2.0/24"));
        compiler.apply(new Change.Identity(cidr.id(), IdentityRecord.of(cidr)));
        compiler.apply(new Change.IpCache("192.0.2.0/24", IpCacheRecord.of("192.0.2.0/24", cidr.id(), "cidr")));
        var p = Fixtures.policy("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: to-net, namespace: default}
                spec:
                  endpointSelector: {matchLabels: {app: client}}
                  egress:
                  - toCIDR: [192.0.2.0/24]
                """);
        compiler.apply(new Change.Policy(p.key(), PolicyEvent.Applied.of(1, p)));
        compiler.flush(true);

        assertThat(Explainer.explain(compiler.state(), ipFlow("127.0.0.9", "192.0.2.7")).verdict().name())
                .isEqualTo("ALLOWED");
        assertThat(Explainer.explain(compiler.state(), ipFlow("127.0.0.9", "198.51.100.1")).verdict().name())
                .isEqualTo("DENIED");
    }

    static String policyKey(String ref) {
        String[] parts = ref.split("/");
        return PolicyKind.fromKindName(parts[0]) == PolicyKind.CNP ? parts[1] + "/" + parts[2] : parts[1];
    }

    private static ExplainRequest ipFlow(String from, String to) {
        return new ExplainRequest(new ExplainRequest.Target(null, from), new ExplainRequest.Target(null, to), 443,
                "TCP", null, null, null);
    }
}
