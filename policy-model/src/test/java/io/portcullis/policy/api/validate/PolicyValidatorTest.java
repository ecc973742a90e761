package io.portcullis.policy.api.validate;

import static io.portcullis.policy.api.validate.ValidationRow.accept;
import static io.portcullis.policy.api.validate.ValidationRow.ccnp;
import static io.portcullis.policy.api.validate.ValidationRow.cnp;
import static io.portcullis.policy.api.validate.ValidationRow.reject;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.ObjectMeta;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks beyond Cilium's rule_validation_test.go: object-level rules of {@code cnp_types.go Parse}, the
 * CRD schema constraints of CILIUM-SEMANTICS.md §1.4, Kafka rules ({@code cilium/proxy kafka.go
 * Sanitize}), HTTP header matches, CIDR excepts, entities, 1.19's removal of fromRequires, and
 * fromNodes without node selector labels.
 */
class PolicyValidatorTest {

    static Stream<ValidationRow> objectRules() {
        return Stream.of(
                reject("name required", """
                        apiVersion: cilium.io/v2
                        kind: CiliumNetworkPolicy
                        metadata: {}
                        spec: {endpointSelector: {}, ingress: [{}]}
                        """, "metadata.name", "CiliumNetworkPolicy must have name"),
                reject("CCNP name required", """
                        apiVersion: cilium.io/v2
                        kind: CiliumClusterwideNetworkPolicy
                        metadata: {namespace: x}
                        spec: {endpointSelector: {}, ingress: [{}]}
                        """, "metadata.name", "CiliumClusterwideNetworkPolicy must have name"),
                reject("name not a DNS subdomain", """
                        apiVersion: cilium.io/v2
                        kind: CiliumNetworkPolicy
                        metadata: {name: Bad_Name}
                        spec: {endpointSelector: {}, ingress: [{}]}
                        """, "metadata.name", "RFC 1123 subdomain"),
                reject("spec or specs", """
                        apiVersion: cilium.io/v2
                        kind: CiliumNetworkPolicy
                        metadata: {name: a}
                        """, "spec", "spec or specs must be provided"),
                reject("specs are validated each", """
                        apiVersion: cilium.io/v2
                        kind: CiliumNetworkPolicy
                        metadata: {name: a}
                        specs:
                        - {endpointSelector: {}, ingress: [{}]}
                        - {endpointSelector: {}, egress: [{toEntities: [galaxy]}]}
                        """, "specs[1].egress[0].toEntities[0]", "unsupported entity: galaxy"),
                reject("apiVersion", """
                        apiVersion: cilium.io/v1
                        kind: CiliumNetworkPolicy
                        metadata: {name: a}
                        spec: {endpointSelector: {}, ingress: [{}]}
                        """, "apiVersion", "must be cilium.io/v2"),
                reject("kind", """
                        apiVersion: cilium.io/v2
                        kind: NetworkPolicy
                        metadata: {name: a}
                        spec: {endpointSelector: {}, ingress: [{}]}
                        """, "kind", "unsupported kind"),
                reject("nodeSelector in a CNP", cnp("nodeSelector: {matchLabels: {role: worker}}\ningress: [{}]"),
                        "spec.nodeSelector", "rule cannot have NodeSelector"),
                accept("nodeSelector in a CCNP", ccnp("nodeSelector: {matchLabels: {role: worker}}\ningress: [{}]")),
                reject("log value too long", cnp("endpointSelector: {}\ningress: [{}]\nlog: {value: " + "x".repeat(33) + "}"),
                        "spec.log.value", "no more than 32"),
                reject("log value not printable", cnp("endpointSelector: {}\ningress: [{}]\nlog: {value: \"a\\u0007b\"}"),
                        "spec.log.value", "printable"),
                accept("description and labels are free",
                        cnp("endpointSelector: {}\ningress: [{}]\ndescription: anything at all\nlabels: [{key: a, value: b}]")),
                reject("rule label without key", cnp("endpointSelector: {}\ningress: [{}]\nlabels: [{value: b}]"),
                        "spec.labels[0].key", "required"));
    }

    static Stream<ValidationRow> selectorsAndPeers() {
        return Stream.of(
                accept("source-prefixed and namespace-label keys",
                        cnp("endpointSelector: {matchLabels: {\"k8s:app\": a, \"io.cilium.k8s.namespace.labels.team\": b}}\ningress: [{}]")),
                reject("two colons in a key", cnp("endpointSelector: {matchLabels: {\"a:b:c\": x}}\ningress: [{}]"),
                        "spec.endpointSelector.matchLabels[a:b:c]", "source separator"),
                reject("bad label value", cnp("endpointSelector: {matchLabels: {app: \"-x\"}}\ningress: [{}]"),
                        "spec.endpointSelector.matchLabels[app]", "invalid label value"),
                reject("In without values", cnp("endpointSelector: {matchExpressions: [{key: app, operator: In}]}\ningress: [{}]"),
                        "matchExpressions[0].values", "must be specified"),
                reject("Exists with values",
                        cnp("endpointSelector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]}\ningress: [{}]"),
                        "matchExpressions[0].values", "may not be specified"),
                reject("unknown entity", cnp("endpointSelector: {}\ningress: [{fromEntities: [world, galaxy]}]"),
                        "spec.ingress[0].fromEntities[1]", "unsupported entity: galaxy"),
                accept("every known entity", cnp("endpointSelector: {}\negress: [{toEntities: [all, world, world-ipv4, "
                        + "world-ipv6, cluster, host, init, ingress, unmanaged, remote-node, health, none, kube-apiserver]}]")),
                reject("fromRequires removed in 1.19", cnp("endpointSelector: {}\ningress: [{fromRequires: [{matchLabels: {a: b}}]}]"),
                        "spec.ingress[0].fromRequires", "removed in 1.19"),
                reject("toRequires removed in 1.19", cnp("endpointSelector: {}\negressDeny: [{toRequires: [{}]}]"),
                        "spec.egressDeny[0].toRequires", "removed in 1.19"),
                reject("fromNodes needs node selector labels", ccnp("endpointSelector: {}\ningress: [{fromNodes: [{}]}]"),
                        "spec.ingress[0].fromNodes", "enable-node-selector-labels"),
                reject("toNodes needs node selector labels", cnp("endpointSelector: {}\negress: [{toNodes: [{}]}]"),
                        "spec.egress[0].toNodes", "enable-node-selector-labels"),
                reject("fromCIDR bare IP (CRD format: cidr)", cnp("endpointSelector: {}\ningress: [{fromCIDR: [1.2.3.4]}]"),
                        "spec.ingress[0].fromCIDR[0]", "unable to parse CIDR"),
                reject("fromCIDR leading zero", cnp("endpointSelector: {}\ningress: [{fromCIDR: [10.0.0.01/32]}]"),
                        "spec.ingress[0].fromCIDR[0]", "unable to parse CIDR"),
                accept("except contained", cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}]}]")),
                reject("except outside", cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [11.0.0.0/16]}]}]"),
                        "toCIDRSet[0].except[0]", "does not contain exclude CIDR prefix 11.0.0.0/16"),
                reject("except other family", cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [\"::/0\"]}]}]"),
                        "toCIDRSet[0].except[0]", "does not contain"),
                reject("except broader", cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.0.0.0/4]}]}]"),
                        "toCIDRSet[0].except[0]", "does not contain"),
                reject("CIDRRule with none", cnp("endpointSelector: {}\negress: [{toCIDRSet: [{except: [10.0.0.0/16]}]}]"),
                        "toCIDRSet[0]", "one of cidr, cidrGroupRef, or cidrGroupSelector is required"),
                reject("CIDRRule with two", cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidr: 10.0.0.0/8, cidrGroupRef: g}]}]"),
                        "toCIDRSet[0]", "more than one of cidr, cidrGroupRef, or cidrGroupSelector"),
                reject("cidrGroupSelector keys are plain Kubernetes keys",
                        cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidrGroupSelector: {matchLabels: {\"k8s:a\": b}}}]}]"),
                        "cidrGroupSelector.matchLabels[k8s:a]", "invalid label key"),
                reject("authentication mode", cnp("endpointSelector: {}\ningress: [{fromEntities: [all], authentication: {mode: sometimes}}]"),
                        "spec.ingress[0].authentication.mode", "unsupported mode"),
                accept("authentication required", cnp("endpointSelector: {}\ningress: [{fromEntities: [all], authentication: {mode: required}}]")),
                accept("ICMP names per family", cnp("endpointSelector: {}\ningress: [{icmps: [{fields: [{type: EchoRequest}, "
                        + "{family: IPv6, type: NeighborSolicitation}, {type: 8}]}]}]")),
                reject("ICMP name of the wrong family", cnp("endpointSelector: {}\ningress: [{icmps: [{fields: [{type: PacketTooBig}]}]}]"),
                        "icmps[0].fields[0].type", "ICMP type PacketTooBig not found in IPv4"),
                reject("ICMP type above 255", cnp("endpointSelector: {}\ningress: [{icmps: [{fields: [{type: 256}]}]}]"),
                        "icmps[0].fields[0].type", "not found"));
    }

    static Stream<ValidationRow> portsAndL7() {
        return Stream.of(
                reject("port 70000", ports("{port: \"70000\", protocol: TCP}"), "ports[0].port", "70000"),
                reject("empty port", ports("{port: \"\", protocol: TCP}"), "ports[0].port", "Port must be specified"),
                reject("endPort out of range", ports("{port: \"80\", endPort: 70000, protocol: TCP}"),
                        "ports[0].endPort", "between 0 and 65535"),
                accept("named port, lower-case protocol", ports("{port: http, protocol: tcp}")),
                reject("ICMP is no port protocol", ports("{port: \"80\", protocol: ICMP}"), "ports[0].protocol",
                        "supported values: TCP, UDP, SCTP, ANY"),
                reject("rules: {} names no L7 type", l7("rules: {}"), "toPorts[0].rules", "exactly one of"),
                reject("two L7 types", l7("rules: {http: [{}], kafka: [{}]}"), "toPorts[0].rules",
                        "multiple L7 protocol rule types specified in single rule"),
                reject("l7 without l7proto", l7("rules: {l7: [{a: b}]}"), "rules.l7",
                        "'l7' may only be specified when a 'l7proto' is also specified"),
                reject("host regex", l7("rules: {http: [{host: \"(\"}]}"), "rules.http[0].host", "invalid regular expression"),
                accept("HTTP headers and header matches", l7("rules: {http: [{headers: [\"X-A: 1\"], headerMatches: "
                        + "[{name: X-B, value: v, mismatch: LOG}, {name: X-C, secret: {name: s}}]}]}")),
                reject("header match without name", l7("rules: {http: [{headerMatches: [{value: v}]}]}"),
                        "headerMatches[0].name", "must not be empty"),
                reject("header match action", l7("rules: {http: [{headerMatches: [{name: X, mismatch: DROP}]}]}"),
                        "headerMatches[0].mismatch", "LOG, ADD, DELETE, REPLACE"),
                reject("kafka role and apiKey", l7("rules: {kafka: [{role: produce, apiKey: fetch}]}"),
                        "rules.kafka[0]", "cannot set both Role \"produce\" and APIKey \"fetch\" together"),
                reject("kafka unknown apiKey", l7("rules: {kafka: [{apiKey: sendmail}]}"), "rules.kafka[0].apiKey",
                        "invalid Kafka APIKey \"sendmail\""),
                accept("kafka Cilium and Kafka 4 apiKey names",
                        l7("rules: {kafka: [{apiKey: Offsets}, {apiKey: listoffsets}, {apiKey: describecluster}, {apiKey: consumergroupheartbeat}]}")),
                reject("kafka role", l7("rules: {kafka: [{role: admin}]}"), "rules.kafka[0].role", "invalid Kafka Role"),
                reject("kafka negative apiVersion", l7("rules: {kafka: [{apiKey: produce, apiVersion: \"-1\"}]}"),
                        "rules.kafka[0].apiVersion", "invalid Kafka APIVersion"),
                reject("kafka apiVersion above int16", l7("rules: {kafka: [{apiKey: produce, apiVersion: \"40000\"}]}"),
                        "rules.kafka[0].apiVersion", "invalid Kafka APIVersion"),
                accept("kafka apiVersion as YAML int", l7("rules: {kafka: [{apiKey: produce, apiVersion: 3, clientID: any thing}]}")),
                reject("kafka topic characters", l7("rules: {kafka: [{topic: \"a topic\"}]}"), "rules.kafka[0].topic",
                        "invalid Kafka Topic name"),
                reject("kafka topic length", l7("rules: {kafka: [{topic: " + "t".repeat(256) + "}]}"), "rules.kafka[0].topic",
                        "exceeds maximum len of 255"),
                reject("serverNames pattern", cnp("""
                        endpointSelector: {}
                        egress: [{toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: ["a b"]}]}]
                        """), "serverNames[0]", "invalid server name"),
                reject("terminatingTLS without secret", cnp("""
                        endpointSelector: {}
                        egress: [{toPorts: [{ports: [{port: "443", protocol: TCP}], terminatingTLS: {trustedCA: x}}]}]
                        """), "terminatingTLS.secret", "required"),
                reject("listener priority", cnp("""
                        endpointSelector: {}
                        egress: [{toPorts: [{ports: [{port: "443", protocol: TCP}], listener: {envoyConfig: {name: c}, name: l, priority: 101}}]}]
                        """), "listener.priority", "between 1 and 100"));
    }

    private static String ports(String port) {
        return cnp("endpointSelector: {}\ningress: [{toPorts: [{ports: [" + port + "]}]}]");
    }

    private static String l7(String rules) {
        return cnp("endpointSelector: {}\ningress: [{toPorts: [{ports: [{port: \"80\", protocol: TCP}], " + rules + "}]}]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectRules")
    void objectRules(ValidationRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectorsAndPeers")
    void selectorsAndPeers(ValidationRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portsAndL7")
    void portsAndL7(ValidationRow row) {
        row.check();
    }

    @Test
    void collectsEveryErrorNotJustTheFirst() {
        List<FieldError> errors = ValidationRow.errorsOf(cnp("""
                endpointSelector: {}
                ingress:
                - fromEntities: [galaxy]
                  toPorts: [{ports: [{port: "70000"}], rules: {http: [{path: "("}]}}]
                egress:
                - toEndpoints: [{}]
                  toFQDNs: [{matchName: cilium.io}]
                """));
        assertThat(errors).extracting(FieldError::field).contains(
                "spec.ingress[0].fromEntities[0]",
                "spec.ingress[0].toPorts[0].ports[0].port",
                "spec.ingress[0].toPorts[0].ports[0].protocol",
                "spec.ingress[0].toPorts[0].rules.http[0].path",
                "spec.egress[0]");
    }

    @Test
    void validatesProgrammaticPolicies() {
        CiliumPolicy noName = new CiliumPolicy("cilium.io/v2", "CiliumNetworkPolicy",
                new ObjectMeta(null, "default", null, null, null, null, null, null), null, null, null);
        assertThat(new PolicyValidator().validate(noName)).extracting(FieldError::field)
                .containsExactly("metadata.name", "spec");
    }
}
