package io.portcullis.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.Reject;
import io.portcullis.policy.conformance.ConformanceCase.Step;
import io.portcullis.policy.verdict.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case in {@code shared/conformance/cases} (and the project's own {@code conformance/cases}),
 * run against the pure engine in one process: each check is one test, in case and step order.
 */
class ConformanceInProcessTest {

    @TestFactory
    Stream<DynamicNode> sharedCases() throws IOException {
        return cases(ConformanceCases.sharedCasesDir());
    }

    /** The project's own cases ({@code conformance/cases} next to this module). */
    @TestFactory
    Stream<DynamicNode> projectCases() throws IOException {
        return cases(Path.of("../conformance/cases").toAbsolutePath().normalize());
    }

    static Stream<DynamicNode> cases(Path dir) throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : ConformanceCases.files(dir)) {
            nodes.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), caseNodes(ConformanceCases.load(file))));
        }
        assertThat(nodes).as("case files in %s", dir).isNotEmpty();
        return nodes.stream();
    }

    /** The checks of one case; the steps run as the tests run, so each check sees the steps before it. */
    private static Stream<DynamicNode> caseNodes(ConformanceCase c) {
        InProcessCluster cluster = new InProcessCluster();
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicTest.dynamicTest("register endpoints", () -> c.endpointsOrEmpty().forEach(cluster::addEndpoint)));
        int stepNo = 0;
        for (Step step : c.allSteps()) {
            int n = stepNo++;
            nodes.add(DynamicTest.dynamicTest("step " + n + ": apply/delete/observe", () -> {
                if (step.apply() != null) {
                    ParseResult r = cluster.apply(step.apply());
                    assertThat(r.errors()).as("errors applying step %d", n).isEmpty();
                }
                if (step.delete() != null) {
                    for (String ref : step.delete()) {
                        assertThat(cluster.delete(ref)).as("delete %s", ref).isTrue();
                    }
                }
                if (step.observations() != null) {
                    step.observations().forEach(cluster::observe);
                }
            }));
            for (Check check : step.checksOrEmpty()) {
                nodes.add(DynamicTest.dynamicTest("step " + n + ": " + check, () -> {
                    Verdict v = cluster.check(check);
                    assertThat(v.verdict().name()).as("%s%nreason: %s", check, v.reason()).isEqualTo(check.expect());
                }));
            }
        }
        for (Reject r : c.rejectsOrEmpty()) {
            nodes.add(DynamicTest.dynamicTest("rejects " + firstLine(r.policy()) + " at " + r.field(), () -> {
                ParseResult res = new InProcessCluster().apply(r.policy());
                assertThat(res.errors()).as("policy must be rejected").isNotEmpty();
                assertThat(res.errors()).extracting(FieldError::field).anyMatch(f -> f.contains(r.field()));
            }));
        }
        return nodes.stream();
    }

    private static String firstLine(String policy) {
        int i = policy.indexOf("name:");
        return i < 0 ? "policy" : policy.substring(i, Math.min(policy.length(), policy.indexOf('\n', i) < 0 ? policy.length() : policy.indexOf('\n', i)));
    }
}
