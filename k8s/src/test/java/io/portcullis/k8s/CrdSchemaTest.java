package io.portcullis.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRDs' openAPIV3Schema: structural, with a status subresource, and accepting every conformance policy. */
class CrdSchemaTest {

    static final Path CASES = Path.of(System.getProperty("portcullis.conformance.dir",
            Rendered.MODULE.resolve("../../shared/conformance/cases").toString()));

    static Map<String, JSONSchemaProps> schemas() {
        return ManifestsTest.of(Rendered.objects("crds"), CustomResourceDefinition.class).stream().collect(Collectors.toMap(
                c -> c.getSpec().getNames().getKind(),
                c -> c.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema()));
    }

    @Test
    void bothKindsServeV2WithStatusAndTheRightScope() {
        List<CustomResourceDefinition> crds = ManifestsTest.of(Rendered.objects("crds"), CustomResourceDefinition.class);
        assertThat(crds).extracting(c -> c.getSpec().getNames().getKind() + ":" + c.getSpec().getScope())
                .containsExactlyInAnyOrder("CiliumNetworkPolicy:Namespaced", "CiliumClusterwideNetworkPolicy:Cluster");
        for (CustomResourceDefinition c : crds) {
            assertThat(c.getSpec().getGroup()).isEqualTo("cilium.io");
            assertThat(c.getSpec().getVersions()).singleElement().satisfies(v -> {
                assertThat(v.getName()).isEqualTo("v2");
                assertThat(v.getServed()).isTrue();
                assertThat(v.getStorage()).isTrue();
                assertThat(v.getSubresources().getStatus()).isNotNull();
                assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).containsKeys("spec", "specs", "status");
            });
        }
    }

    static Stream<Arguments> conformancePolicies() throws IOException {
        List<Arguments> policies = new ArrayList<>();
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode c = Rendered.YAML.readTree(f.toFile());
                List<String> texts = new ArrayList<>();
                if (c.hasNonNull("policies")) {
                    texts.add(c.get("policies").asText());
                }
                c.path("steps").forEach(s -> {
                    if (s.hasNonNull("apply")) {
                        texts.add(s.get("apply").asText());
                    }
                });
                for (String text : texts) {
                    for (JsonNode doc : docs(text)) {
                        policies.add(Arguments.of(f.getFileName() + ": " + doc.path("metadata").path("name").asText(), doc));
                    }
                }
            }
        }
        assertThat(policies).as("policies in " + CASES).hasSizeGreaterThan(5);
        return policies.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformancePolicies")
    void acceptsEveryConformancePolicy(String name, JsonNode policy) {
        JSONSchemaProps schema = schemas().get(policy.path("kind").asText());
        assertThat(schema).as(name + ": a CRD for kind " + policy.path("kind")).isNotNull();
        assertThat(StructuralSchema.validate(schema, policy)).as(name).isEmpty();
    }

    /** Objects the API server itself must refuse (before policy-api sees them), with the path it names. */
    static Stream<Arguments> refused() {
        String head = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n"
                + "  endpointSelector: {matchLabels: {app: a}}\n";
        return Stream.of(
                Arguments.of(head + "  ingress: [{toPorts: [{ports: [{port: \"70000\", protocol: TCP}]}]}]",
                        "spec.ingress[0].toPorts[0].ports[0].port"),
                Arguments.of(head + "  ingress: [{toPorts: [{ports: [{port: \"80\", protocol: TCPX}]}]}]",
                        "spec.ingress[0].toPorts[0].ports[0].protocol"),
                Arguments.of(head + "  ingress: [{fromEntitys: [world]}]", "spec.ingress[0].fromEntitys"),
                Arguments.of(head + "  egress: [{toEntities: [everything]}]", "spec.egress[0].toEntities[0]"),
                Arguments.of(head + "  ingress: [{fromEndpoints: [{matchExpressions: [{key: a, operator: Is}]}]}]",
                        "spec.ingress[0].fromEndpoints[0].matchExpressions[0].operator"),
                Arguments.of(head + "  egress: [{toPorts: [{ports: [{port: \"53\"}], rules: {kafka: [{role: read}]}}]}]",
                        "spec.egress[0].toPorts[0].rules.kafka[0].role"),
                Arguments.of(head + "  ingress: {fromEntities: [world]}", "spec.ingress"),
                Arguments.of(head + "  enableDefaultDeny: {ingress: \"yes\"}", "spec.enableDefaultDeny.ingress"),
                Arguments.of("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec: {}", "metadata"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWhatTheSchemaForbids(String yaml, String path) {
        JsonNode policy = docs(yaml).getFirst();
        assertThat(StructuralSchema.validate(schemas().get("CiliumNetworkPolicy"), policy))
                .anySatisfy(e -> assertThat(e).startsWith(path + ":"));
    }

    @Test
    void everySchemaNodeIsStructural() {
        schemas().forEach((kind, s) -> assertStructural(kind, s));
    }

    /** Structural: every node has a type (or is int-or-string), and arrays say what they hold. */
    private static void assertStructural(String path, JSONSchemaProps s) {
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            return;
        }
        assertThat(s.getType()).as(path + ": type").isNotNull();
        if ("array".equals(s.getType())) {
            assertThat(s.getItems()).as(path + ": items").isNotNull();
            assertStructural(path + "[]", s.getItems().getSchema());
        }
        if (s.getProperties() != null) {
            s.getProperties().forEach((k, v) -> assertStructural(path + "." + k, v));
        }
        if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
            assertStructural(path + ".*", s.getAdditionalProperties().getSchema());
        }
    }

    private static List<JsonNode> docs(String text) {
        try (MappingIterator<JsonNode> it = Rendered.YAML.readerFor(JsonNode.class).readValues(text)) {
            return it.readAll().stream().filter(n -> n != null && !n.isNull() && !n.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
