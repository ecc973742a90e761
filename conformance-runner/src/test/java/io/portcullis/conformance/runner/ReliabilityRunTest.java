package io.portcullis.conformance.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.conformance.InProcessCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the reliability run: its burst is valid input and its expectation is not trivial. */
class ReliabilityRunTest {

    @Test
    void everyGeneratedPolicyIsValid() throws Exception {
        PolicyParser parser = new PolicyParser();
        for (long seed = 0; seed < 5; seed++) {
            ReliabilityRun run = new ReliabilityRun(null, Path.of("."), 0, seed, System.out);
            for (String yaml : run.generate(100)) {
                assertThat(parser.parseAndValidate(yaml, "application/yaml").errors()).as(yaml).isEmpty();
            }
        }
    }

    @Test
    void baselineAllowsSaToSbOnPort80Only() {
        var endpoints = ReliabilityRun.endpoints();
        InProcessCluster c = ReliabilityRun.cluster(endpoints, ReliabilityRun.baselinePolicies(), Map.of());
        var sample = ReliabilityRun.sample(endpoints, e -> e.namespace().equals(ReliabilityRun.STABLE));
        Map<?, String> verdicts = ReliabilityRun.expectedVerdicts(c, sample);
        assertThat(sample).hasSize(3 * 2 * 3);
        List<String> allowed = sample.stream().filter(k -> verdicts.get(k).equals("ALLOWED"))
                .map(k -> k.from() + ">" + k.to() + ":" + k.port()).toList();
        // sa's egress only reaches sb (80 only, by sb's ingress); sb and sc have no egress policy, and
        // only sb has an ingress policy (sc -> sb is denied: sa only)
        assertThat(allowed).containsExactlyInAnyOrder("stable/s-sa>stable/s-sb:80",
                "stable/s-sb>stable/s-sa:80", "stable/s-sb>stable/s-sa:443", "stable/s-sb>stable/s-sa:8080",
                "stable/s-sb>stable/s-sc:80", "stable/s-sb>stable/s-sc:443", "stable/s-sb>stable/s-sc:8080",
                "stable/s-sc>stable/s-sa:80", "stable/s-sc>stable/s-sa:443", "stable/s-sc>stable/s-sa:8080");
    }
}
