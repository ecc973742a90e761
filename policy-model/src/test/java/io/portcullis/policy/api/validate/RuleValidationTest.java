package io.portcullis.policy.api.validate;

import static io.portcullis.policy.api.validate.ValidationRow.accept;
import static io.portcullis.policy.api.validate.ValidationRow.ccnp;
import static io.portcullis.policy.api.validate.ValidationRow.cnp;
import static io.portcullis.policy.api.validate.ValidationRow.reject;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows transcribed from Cilium's {@code pkg/policy/api/rule_validation_test.go} (1.18/1.19 era):
 * TestL7RulesWithNonTCPProtocols, TestL7RuleRejectsEmptyPort, TestHTTPRuleRegexes, TestCIDRsanitize,
 * TestToServicesSanitize, TestL7Rules, TestPortRangesNotAllowedWithDNSRules, TestL7RulesWithNodeSelector,
 * TestInvalidEndpointSelectors, TestPrivilegedNodeSelector, TestTooManyPortsRule,
 * TestInvalidIPProtocolRules, TestTooManyICMPFields, TestWrongICMPFieldFamily,
 * TestICMPRuleWithOtherRuleFailed, TestL7RuleDirectionalitySupport, TestSanitizeDefaultDeny, plus the
 * L3 peer exclusivity of {@code IngressCommonRule/EgressCommonRule.Validate}. Each Go rule becomes a
 * policy; the expected error text is Cilium's where it has one.
 */
class RuleValidationTest {

    private static final String HTTP_GET = "rules: {http: [{method: GET, path: /}]}";
    private static final String BAD_SELECTOR = "{matchLabels: {any.foo: bar, k8s.baz: alice},"
            + " matchExpressions: [{key: any.foo, operator: asdfasdfasdf, values: [default]}]}";

    static Stream<ValidationRow> l7RulesWithNonTcpProtocols() {
        return Stream.of(
                accept("HTTP on TCP ports", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}], %s}]
                        """.formatted(HTTP_GET))),
                reject("DNS rule without ports", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{rules: {dns: [{matchName: domain.com}]}}]
                        """), "spec.egress[0].toPorts[0].ports", "port 53 must be specified for DNS rules"),
                accept("DNS on TCP and UDP", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "53", protocol: TCP}, {port: "53", protocol: UDP}], rules: {dns: [{matchName: domain.com}]}}]
                        """)),
                accept("SCTP port", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "4000", protocol: SCTP}]}]
                        """)),
                reject("HTTP on UDP", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: UDP}], %s}]
                        """.formatted(HTTP_GET)), "toPorts[0].ports[0].protocol",
                        "L7 rules can only apply to TCP (not UDP) except for DNS rules"),
                reject("DNS on ingress", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchName: domain.com}]}}]
                        """), "spec.ingress[0].toPorts[0].rules.dns", "DNS rules are not allowed on ingress"),
                reject("HTTP on ANY", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: ANY}], %s}]
                        """.formatted(HTTP_GET)), "toPorts[0].ports[0]",
                        "L7 rules can only apply to TCP (not ANY) except for DNS rules"),
                reject("HTTP with protocol omitted", cnp("""
                        endpointSelector: {}
                        ingress:
                        - toPorts: [{ports: [{port: "80"}], %s}]
                        """.formatted(HTTP_GET)), "toPorts", "L7 rules can only apply to TCP (not ANY)"),
                reject("HTTP on TCP and UDP", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "12345", protocol: UDP}], %s}]
                        """.formatted(HTTP_GET)), "toPorts[0].ports[1].protocol",
                        "L7 rules can only apply to TCP (not UDP) except for DNS rules"),
                reject("HTTP on UDP and TCP", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: UDP}, {port: "12345", protocol: TCP}], %s}]
                        """.formatted(HTTP_GET)), "toPorts[0].ports[0].protocol",
                        "L7 rules can only apply to TCP (not UDP) except for DNS rules"),
                accept("server names for SNI", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: [foo.bar.com, bar.foo.com]}]
                        """)),
                reject("empty server name", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: [""]}]
                        """), "serverNames[0]", "Empty server name is not allowed"),
                reject("server names with L7 without TLS termination", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "443", protocol: TCP}], serverNames: [foo.bar.com], %s}]
                        """.formatted(HTTP_GET)), "serverNames",
                        "ServerNames are not allowed with L7 rules without TLS termination"),
                accept("server names with L7 and TLS termination", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "443", protocol: TCP}], terminatingTLS: {secret: {name: test-secret}}, serverNames: [foo.bar.com, bar.foo.com], %s}]
                        """.formatted(HTTP_GET))),
                accept("listener on egress, default kind", listener("egress", "toEndpoints", "{name: test-config}", "")),
                accept("listener on egress, CiliumClusterwideEnvoyConfig",
                        listener("egress", "toEndpoints", "{kind: CiliumClusterwideEnvoyConfig, name: shared-config}", "")),
                accept("listener on egress, CiliumEnvoyConfig",
                        listener("egress", "toEndpoints", "{kind: CiliumEnvoyConfig, name: shared-config}", "")),
                reject("listener on ingress", listener("ingress", "fromEndpoints", "{name: test-config}", ""),
                        "listener", "Listener is not allowed on ingress (myCustomListener)"),
                reject("listener with L7 rules", listener("egress", "toEndpoints", "{name: test-config}", ", " + HTTP_GET),
                        "listener", "Listener is not allowed with L7 rules (myCustomListener)"));
    }

    private static String listener(String direction, String peer, String envoyConfig, String extra) {
        return cnp("""
                endpointSelector: {}
                %s:
                - %s: [{}]
                  toPorts: [{ports: [{port: "443", protocol: TCP}], listener: {envoyConfig: %s, name: myCustomListener}%s}]
                """.formatted(direction, peer, envoyConfig, extra));
    }

    static Stream<ValidationRow> portsAndL7() {
        return Stream.of(
                reject("TestL7RuleRejectsEmptyPort: L7 on port 0", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "0", protocol: TCP}], rules: {http: [{}]}}]
                        """), "ports[0].port", "L7 rules can not be used when a port is 0"),
                reject("TestHTTPRuleRegexes: path *", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}], rules: {http: [{method: GET, path: "*"}]}}]
                        """), "rules.http[0].path", "invalid regular expression"),
                reject("TestHTTPRuleRegexes: method *", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: "*", path: /}]}}]
                        """), "rules.http[0].method", "invalid regular expression"),
                accept("TestL7Rules: l7proto with rules", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {l7proto: test.lineparser, l7: [{method: PUT, path: /}, {method: GET, path: /}]}}]
                        """)),
                accept("TestL7Rules: l7proto without rules", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {l7proto: test.lineparser}}]
                        """)),
                reject("TestL7Rules: empty key", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {l7proto: test.lineparser, l7: [{method: PUT, "": Foo}]}}]
                        """), "rules.l7[0]", "Empty key not allowed"),
                reject("TestPortRangesNotAllowedWithDNSRules", cnp("""
                        endpointSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "443", endPort: 445, protocol: TCP}], rules: {dns: [{matchName: www.google.com}]}}]
                        """), "ports[0].endPort", "DNS rules do not support port ranges"),
                reject("TestTooManyPortsRule: allow", cnp("""
                        endpointSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: %s}]
                        """.formatted(ports41())), "spec.ingress[0].toPorts[0].ports", "too many ports, the max is 40"),
                reject("TestTooManyPortsRule: deny", cnp("""
                        endpointSelector: {}
                        ingressDeny:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: %s}]
                        """.formatted(ports41())), "spec.ingressDeny[0].toPorts[0].ports", "too many ports, the max is 40"),
                reject("TestInvalidIPProtocolRules: VRRP", cnp("""
                        endpointSelector: {}
                        ingress:
                        - toPorts: [{ports: [{port: "1", protocol: VRRP}]}]
                        """), "ports[0].protocol", "VRRP"),
                reject("TestInvalidIPProtocolRules: IGMP", cnp("""
                        endpointSelector: {}
                        egress:
                        - toPorts: [{ports: [{port: "1", protocol: IGMP}]}]
                        """), "ports[0].protocol", "IGMP"),
                accept("TestL7RuleDirectionalitySupport: Kafka egress", cnp("""
                        endpointSelector: {}
                        egress:
                        - toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}], rules: {kafka: [{role: consume, topic: deathstar-plans}]}}]
                        """)),
                reject("TestL7RuleDirectionalitySupport: DNS ingress", cnp("""
                        endpointSelector: {}
                        ingress:
                        - toPorts: [{ports: [{port: "53", protocol: TCP}, {port: "53", protocol: UDP}], rules: {dns: [{matchName: empire.gov}]}}]
                        """), "dns", "DNS rules are not allowed on ingress"));
    }

    private static String ports41() {
        return IntStream.rangeClosed(80, 120).mapToObj(p -> "{port: \"" + p + "\", protocol: TCP}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static Stream<ValidationRow> peersAndSelectors() {
        return Stream.of(
                accept("TestCIDRsanitize: 0.0.0.0/0", cidrSet("0.0.0.0/0")),
                accept("TestCIDRsanitize: 10.0.0.0/24", cidrSet("10.0.0.0/24")),
                accept("TestCIDRsanitize: 192.0.2.3/32", cidrSet("192.0.2.3/32")),
                accept("TestCIDRsanitize: ::/0", cidrSet("\"::/0\"")),
                accept("TestCIDRsanitize: ff02::/64", cidrSet("\"ff02::/64\"")),
                accept("TestCIDRsanitize: full IPv6", cidrSet("\"2001:0db8:85a3:0000:0000:8a2e:0370:7334/128\"")),
                reject("TestCIDRsanitize: non-contiguous mask", cidrSet("10.0.0.0/254.0.0.255"), "toCIDRSet[0].cidr",
                        "unable to parse CIDRRule"),
                accept("TestToServicesSanitize: toServices with toPorts", cnp("""
                        endpointSelector: {}
                        egress:
                        - toServices: [{k8sServiceSelector: {selector: {matchLabels: {app: tested-service}}, namespace: ""}}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}, {port: "81", protocol: TCP}]}]
                        """)),
                accept("TestToServicesSanitize: deny toServices with toPorts", cnp("""
                        endpointSelector: {}
                        egressDeny:
                        - toServices: [{k8sServiceSelector: {selector: {matchLabels: {app: tested-service}}}}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}]}]
                        """)),
                reject("TestL7RulesWithNodeSelector: HTTP on host ingress", ccnp("""
                        nodeSelector: {}
                        ingress:
                        - fromEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: PUT, path: /}]}}]
                        """), "spec.ingress[0].toPorts", "L7 policy is not supported on host ingress yet"),
                reject("TestL7RulesWithNodeSelector: HTTP on host egress", ccnp("""
                        nodeSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: PUT, path: /}]}}]
                        """), "spec.egress[0].toPorts", "L7 protocol HTTP is not supported on host egress yet"),
                accept("TestL7RulesWithNodeSelector: DNS on host egress", ccnp("""
                        nodeSelector: {}
                        egress:
                        - toEndpoints: [{}]
                          toPorts: [{ports: [{port: "53", protocol: UDP}], rules: {dns: [{matchName: domain.com}]}}]
                        """)),
                accept("TestL7RulesWithNodeSelector: host ingress L3", ccnp("""
                        nodeSelector: {}
                        ingress: [{fromEndpoints: [{}]}]
                        """)),
                accept("TestL7RulesWithNodeSelector: host ingress deny", ccnp("""
                        nodeSelector: {}
                        ingressDeny: [{fromEndpoints: [{}]}]
                        """)),
                reject("TestInvalidEndpointSelectors: subject", cnp("endpointSelector: " + BAD_SELECTOR + "\ningress: [{}]"),
                        "spec.endpointSelector.matchExpressions[0].operator", "not a valid selector operator"),
                reject("TestInvalidEndpointSelectors: fromEndpoints",
                        cnp("endpointSelector: {}\ningress: [{fromEndpoints: [" + BAD_SELECTOR + "]}]"),
                        "spec.ingress[0].fromEndpoints[0].matchExpressions[0].operator", "not a valid selector operator"),
                reject("TestInvalidEndpointSelectors: ingressDeny fromEndpoints",
                        cnp("endpointSelector: {}\ningressDeny: [{fromEndpoints: [" + BAD_SELECTOR + "]}]"),
                        "spec.ingressDeny[0].fromEndpoints[0]", "not a valid selector operator"),
                reject("TestInvalidEndpointSelectors: toEndpoints",
                        cnp("endpointSelector: {}\negress: [{toEndpoints: [" + BAD_SELECTOR + "]}]"),
                        "spec.egress[0].toEndpoints[0]", "not a valid selector operator"),
                reject("TestInvalidEndpointSelectors: egressDeny toEndpoints",
                        cnp("endpointSelector: {}\negressDeny: [{toEndpoints: [" + BAD_SELECTOR + "]}]"),
                        "spec.egressDeny[0].toEndpoints[0]", "not a valid selector operator"),
                reject("TestPrivilegedNodeSelector: invalid node selector",
                        ccnp("nodeSelector: " + BAD_SELECTOR + "\negress: [{}]"),
                        "spec.nodeSelector.matchExpressions[0].operator", "not a valid selector operator"),
                reject("TestPrivilegedNodeSelector: both selectors", ccnp("endpointSelector: {}\nnodeSelector: {}\negress: [{}]"),
                        "nodeSelector", "rule cannot have both EndpointSelector and NodeSelector"),
                reject("TestPrivilegedNodeSelector: no selector", ccnp("egress: [{}]"),
                        "spec", "rule must have one of EndpointSelector or NodeSelector"),
                reject("L3 exclusivity: FromEndpoints and FromCIDR",
                        cnp("endpointSelector: {}\ningress: [{fromEndpoints: [{}], fromCIDR: [10.0.0.0/8]}]"),
                        "spec.ingress[0]", "combining FromEndpoints and FromCIDR is not supported yet"),
                reject("L3 exclusivity: FromEntities and FromCIDRSet",
                        cnp("endpointSelector: {}\ningressDeny: [{fromEntities: [world], fromCIDRSet: [{cidr: 10.0.0.0/8}]}]"),
                        "spec.ingressDeny[0]", "combining FromCIDRSet and FromEntities is not supported yet"),
                reject("L3 exclusivity: ToEndpoints and ToFQDNs",
                        cnp("endpointSelector: {}\negress: [{toEndpoints: [{}], toFQDNs: [{matchName: cilium.io}]}]"),
                        "spec.egress[0]", "combining ToEndpoints and ToFQDNs is not supported yet"),
                reject("L3 exclusivity: ToServices and ToEntities",
                        cnp("endpointSelector: {}\negressDeny: [{toEntities: [world], toServices: [{k8sService: {serviceName: a}}]}]"),
                        "spec.egressDeny[0]", "combining ToEntities and ToServices is not supported yet"));
    }

    private static String cidrSet(String cidr) {
        return cnp("endpointSelector: {}\negress: [{toCIDRSet: [{cidr: " + cidr + "}]}]");
    }

    static Stream<ValidationRow> icmpAndDefaultDeny() {
        String fields41 = IntStream.rangeClosed(1, 41).mapToObj(t -> "{type: " + t + "}")
                .collect(Collectors.joining(", ", "[", "]"));
        String icmpWithPorts = "toPorts: [{ports: [{port: \"80\", protocol: TCP}]}], icmps: [{fields: [{type: 8}]}]";
        String icmpMessage = "The ICMPs block may only be present without ToPorts";
        return Stream.of(
                reject("TestTooManyICMPFields: allow",
                        cnp("endpointSelector: {}\ningress: [{fromEndpoints: [{}], icmps: [{fields: " + fields41 + "}]}]"),
                        "spec.ingress[0].icmps[0].fields", "too many types, the max is 40"),
                reject("TestTooManyICMPFields: deny",
                        cnp("endpointSelector: {}\ningressDeny: [{fromEndpoints: [{}], icmps: [{fields: " + fields41 + "}]}]"),
                        "spec.ingressDeny[0].icmps[0].fields", "too many types, the max is 40"),
                reject("TestWrongICMPFieldFamily: allow",
                        cnp("endpointSelector: {}\ningress: [{fromEndpoints: [{}], icmps: [{fields: [{family: hoge, type: 0}]}]}]"),
                        "icmps[0].fields[0].family", "wrong family: hoge"),
                reject("TestWrongICMPFieldFamily: deny",
                        cnp("endpointSelector: {}\ningressDeny: [{fromEndpoints: [{}], icmps: [{fields: [{family: hoge, type: 0}]}]}]"),
                        "icmps[0].fields[0].family", "wrong family: hoge"),
                reject("TestICMPRuleWithOtherRuleFailed: ingress",
                        cnp("endpointSelector: {}\ningress: [{fromEndpoints: [{}], " + icmpWithPorts + "}]"),
                        "spec.ingress[0].icmps", icmpMessage),
                reject("TestICMPRuleWithOtherRuleFailed: ingressDeny",
                        cnp("endpointSelector: {}\ningressDeny: [{fromEndpoints: [{}], " + icmpWithPorts + "}]"),
                        "spec.ingressDeny[0].icmps", icmpMessage),
                reject("TestICMPRuleWithOtherRuleFailed: egress",
                        cnp("endpointSelector: {}\negress: [{toEndpoints: [{}], " + icmpWithPorts + "}]"),
                        "spec.egress[0].icmps", icmpMessage),
                reject("TestICMPRuleWithOtherRuleFailed: egressDeny",
                        cnp("endpointSelector: {}\negressDeny: [{toEndpoints: [{}], " + icmpWithPorts + "}]"),
                        "spec.egressDeny[0].icmps", icmpMessage),
                reject("TestSanitizeDefaultDeny: Rule{}", cnp("endpointSelector: {}"),
                        "spec", "rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny"),
                reject("TestSanitizeDefaultDeny: empty lists count as absent",
                        cnp("endpointSelector: {}\ningress: []\negress: []"),
                        "spec", "rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny"),
                accept("TestSanitizeDefaultDeny: ingress [{}]", cnp("endpointSelector: {}\ningress: [{}]")),
                accept("TestSanitizeDefaultDeny: ingressDeny [{}]", cnp("endpointSelector: {}\ningressDeny: [{}]")),
                accept("TestSanitizeDefaultDeny: ingress and ingressDeny",
                        cnp("endpointSelector: {}\ningress: [{}]\ningressDeny: [{}]")),
                accept("TestSanitizeDefaultDeny: egress and egressDeny",
                        cnp("endpointSelector: {}\negress: [{}]\negressDeny: [{}]")),
                accept("TestSanitizeDefaultDeny: egressDeny [{}]", cnp("endpointSelector: {}\negressDeny: [{}]")),
                accept("TestSanitizeDefaultDeny: egress [{}]", cnp("endpointSelector: {}\negress: [{}]")),
                accept("TestSanitizeDefaultDeny: egress and ingress", cnp("endpointSelector: {}\negress: [{}]\ningress: [{}]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("l7RulesWithNonTcpProtocols")
    void l7RulesWithNonTcpProtocols(ValidationRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portsAndL7")
    void portsAndL7(ValidationRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peersAndSelectors")
    void peersAndSelectors(ValidationRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("icmpAndDefaultDeny")
    void icmpAndDefaultDeny(ValidationRow row) {
        row.check();
    }
}
