package io.portcullis.policy.api.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.PolicyKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading request text into policies: formats, document shapes, namespaces and binding errors. */
class PolicyParserTest {

    private final PolicyParser parser = new PolicyParser();

    private static final String RULE1 = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: rule1}
            spec:
              endpointSelector: {matchLabels: {app: a}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: b}}]
                toPorts:
                - ports: [{port: 80, protocol: TCP}]
                  rules:
                    http: [{method: GET, path: /public}]
            """;

    private static List<String> fields(ParseResult r) {
        return r.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void singleDocumentWithDefaultsAndNormalisedPort() {
        ParseResult r = parser.parse(RULE1, "application/yaml");
        assertThat(r.errors()).isEmpty();
        CiliumPolicy p = r.policies().getFirst();
        assertThat(p.policyKind()).isEqualTo(PolicyKind.CNP);
        assertThat(p.metadata().namespace()).isEqualTo("default");
        assertThat(p.key()).isEqualTo("default/rule1");
        assertThat(p.spec().ingress().getFirst().toPorts().getFirst().ports().getFirst().port()).isEqualTo("80");
        assertThat(p.spec().egress()).isNull();
    }

    @Test
    void keepsEmptyListsApartFromAbsentOnes() {
        ParseResult r = parser.parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: a, namespace: team}
                spec: {endpointSelector: {}, ingress: [{fromEndpoints: []}]}
                """);
        var ingress = r.policies().getFirst().spec().ingress().getFirst();
        assertThat(ingress.fromEndpoints()).isEmpty();
        assertThat(ingress.fromEntities()).isNull();
        assertThat(r.policies().getFirst().metadata().namespace()).isEqualTo("team");
    }

    @Test
    void clusterwidePolicyHasNoNamespace() {
        ParseResult r = parser.parse("""
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata: {name: a, namespace: ignored}
                spec: {endpointSelector: {}, ingress: [{}]}
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.policies().getFirst().metadata().namespace()).isNull();
        assertThat(r.policies().getFirst().key()).isEqualTo("a");
    }

    @Test
    void multipleDocumentsArePrefixedWithTheirIndex() {
        ParseResult r = parser.parseAndValidate(RULE1 + "---\n" + RULE1.replace("toPorts", "toPort") + "---\n", null);
        assertThat(r.policies()).hasSize(2);
        assertThat(r.errors()).containsExactly(new FieldError("items[1].spec.ingress[0].toPort",
                FieldError.UNKNOWN, "unknown field \"toPort\""));
    }

    @Test
    void listItemsAndSpecs() {
        ParseResult r = parser.parseAndValidate("""
                apiVersion: v1
                kind: List
                metadata: {resourceVersion: ""}
                items:
                - apiVersion: cilium.io/v2
                  kind: CiliumNetworkPolicy
                  metadata: {name: a}
                  specs:
                  - {endpointSelector: {}, ingress: [{}]}
                  - {endpointSelector: {}, egress: [{toPorts: [{ports: [{port: "70000"}]}]}]}
                """, "application/yaml");
        assertThat(r.policies()).hasSize(1);
        assertThat(r.policies().getFirst().rules()).hasSize(2);
        assertThat(fields(r)).containsExactly("items[0].specs[1].egress[0].toPorts[0].ports[0].port");
    }

    @Test
    void jsonInputAutoDetectedAndByContentType() {
        String json = """
                {"apiVersion": "cilium.io/v2", "kind": "CiliumNetworkPolicy", "metadata": {"name": "j"},
                 "spec": {"endpointSelector": {}, "egress": [{"toFQDNs": [{"matchName": "cilium.io"}],
                          "toPorts": [{"ports": [{"port": "443", "protocol": "TCP"}]}]}]}}
                """;
        for (String contentType : new String[] {null, "application/json; charset=utf-8"}) {
            ParseResult r = parser.parseAndValidate(json, contentType);
            assertThat(r.errors()).isEmpty();
            assertThat(r.policies().getFirst().spec().egress().getFirst().toFQDNs().getFirst().matchName())
                    .isEqualTo("cilium.io");
        }
    }

    @Test
    void unknownFieldsAnywhereButMetadataAndStatus() {
        ParseResult r = parser.parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                description: top-level description is not a field
                metadata:
                  name: a
                  labels: {team: x}
                  annotations: {note: y}
                  managedFields: [{manager: kubectl}]
                  finalizers: [f]
                spec:
                  endpointSelector: {matchLabel: {app: a}}
                  ingressDeny:
                  - toPorts: [{ports: [{port: "80"}], rules: {http: [{}]}}]
                status: {conditions: [{type: Valid, status: "True"}]}
                """);
        assertThat(fields(r)).containsExactlyInAnyOrder(
                "description", "spec.endpointSelector.matchLabel", "spec.ingressDeny[0].toPorts[0].rules");
        assertThat(r.errors()).allMatch(e -> e.reason().equals(FieldError.UNKNOWN));
        assertThat(r.policies().getFirst().metadata().labels()).containsEntry("team", "x");
    }

    @Test
    void wrongTypesAreErrorsWithPaths() {
        ParseResult r = parser.parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: a}
                spec:
                  endpointSelector: {matchLabels: {app: [x]}}
                  ingress: "everything"
                  egress:
                  - toPorts: [{ports: [{port: "53", endPort: "60"}]}]
                    toEntities: world
                  enableDefaultDeny: {ingress: "yes"}
                """);
        assertThat(fields(r)).containsExactlyInAnyOrder(
                "spec.endpointSelector.matchLabels[app]",
                "spec.ingress",
                "spec.egress[0].toPorts[0].ports[0].endPort",
                "spec.egress[0].toEntities",
                "spec.enableDefaultDeny.ingress");
        assertThat(r.errors().get(1).message()).isEqualTo("must be of type array, not string");
    }

    @Test
    void icmpTypeMayBeAnIntegerOrAName() {
        ParseResult r = parser.parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: a}
                spec:
                  endpointSelector: {}
                  egress: [{icmps: [{fields: [{type: 8}, {family: IPv6, type: EchoRequest}]}]}]
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.policies().getFirst().spec().egress().getFirst().icmps().getFirst().fields())
                .extracting(f -> f.type()).containsExactly("8", "EchoRequest");
    }

    @Test
    void apiVersionAndKindAreChecked() {
        ParseResult r = parser.parseAndValidate("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: a}
                spec: {podSelector: {}}
                """, null);
        assertThat(fields(r)).contains("apiVersion", "kind", "spec.podSelector");
        assertThat(r.errors()).doesNotHaveDuplicates();
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        assertThatThrownBy(() -> parser.parse("apiVersion: cilium.io/v2\nkind: [unclosed\n", "application/yaml"))
                .isInstanceOf(PolicySyntaxException.class)
                .satisfies(e -> assertThat(((PolicySyntaxException) e).line()).isGreaterThan(0))
                .hasMessageContaining("line");
        assertThatThrownBy(() -> parser.parse("{\"kind\": }", null))
                .isInstanceOf(PolicySyntaxException.class)
                .satisfies(e -> assertThat(((PolicySyntaxException) e).line()).isEqualTo(1));
    }

    @Test
    void duplicateKeysAreSyntaxErrors() {
        assertThatThrownBy(() -> parser.parse("apiVersion: cilium.io/v2\napiVersion: cilium.io/v2\n"))
                .isInstanceOf(PolicySyntaxException.class);
    }

    @Test
    void emptyRequestAndNonObjects() {
        assertThat(fields(parser.parse("---\n"))).containsExactly("items");
        assertThat(fields(parser.parse("[1]"))).containsExactly("items[0]");
    }
}
