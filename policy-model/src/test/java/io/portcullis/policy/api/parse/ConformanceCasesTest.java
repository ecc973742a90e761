package io.portcullis.policy.api.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.policy.api.FieldError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The shared conformance cases ({@code shared/conformance/cases/*.yaml}): every {@code rejects[].policy}
 * must fail with a cause whose field contains {@code rejects[].field}, and every policy the other cases
 * apply ({@code policies:}, {@code steps[].apply}) must parse and validate cleanly.
 */
class ConformanceCasesTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private final PolicyParser parser = new PolicyParser();

    /** {@code -Dportcullis.conformance.dir}, else the nearest {@code shared/conformance/cases} above the working dir. */
    static Path casesDir() {
        String configured = System.getProperty("portcullis.conformance.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/conformance/cases");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/conformance/cases not found; set -Dportcullis.conformance.dir");
    }

    private static List<Path> caseFiles() throws IOException {
        try (Stream<Path> files = Files.list(casesDir())) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> rejectsAreRejectedAtTheirField() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : caseFiles()) {
            for (JsonNode reject : YAML.readTree(file.toFile()).path("rejects")) {
                String field = reject.path("field").asText();
                String policy = reject.path("policy").asText();
                tests.add(DynamicTest.dynamicTest(file.getFileName() + " rejects at " + field, () -> {
                    List<FieldError> errors = parser.parseAndValidate(policy, "application/yaml").errors();
                    assertThat(errors).as(errors.toString()).anyMatch(e -> e.field().contains(field));
                }));
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> appliedPoliciesAreValid() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : caseFiles()) {
            JsonNode c = YAML.readTree(file.toFile());
            List<String> applied = new ArrayList<>();
            if (c.hasNonNull("policies")) {
                applied.add(c.get("policies").asText());
            }
            c.path("steps").forEach(step -> {
                if (step.hasNonNull("apply")) {
                    applied.add(step.get("apply").asText());
                }
            });
            for (int i = 0; i < applied.size(); i++) {
                String text = applied.get(i);
                tests.add(DynamicTest.dynamicTest(file.getFileName() + " apply #" + i, () -> {
                    ParseResult r = parser.parseAndValidate(text, "application/yaml");
                    assertThat(r.errors()).isEmpty();
                    assertThat(r.policies()).isNotEmpty().allSatisfy(p -> assertThat(p.key()).isNotBlank());
                    r.policies().stream().filter(p -> p.policyKind().namespaced())
                            .filter(p -> !text.contains("namespace:"))
                            .forEach(p -> assertThat(p.metadata().namespace()).isEqualTo("default"));
                }));
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }
}
