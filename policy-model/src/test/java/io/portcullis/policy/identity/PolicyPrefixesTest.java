package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.ip.IpPrefix;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which prefixes of a policy need CIDR identities (Cilium {@code GetCIDRPrefixes}). */
class PolicyPrefixesTest {

    private static final String HEAD = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: p, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: a}}
            """;

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("egress toCIDR", """
                          egress:
                          - toCIDR: [10.0.0.0/8, 192.168.1.7]
                        """, List.of("10.0.0.0/8", "192.168.1.7/32")),
                Arguments.of("toCIDRSet with except", """
                          egress:
                          - toCIDRSet:
                            - cidr: 10.0.0.0/8
                              except: [10.1.0.0/16, 10.2.3.0/24]
                        """, List.of("10.0.0.0/8", "10.1.0.0/16", "10.2.3.0/24")),
                Arguments.of("ingress fromCIDR and fromCIDRSet", """
                          ingress:
                          - fromCIDR: [172.16.0.0/12]
                            fromCIDRSet: [{cidr: 203.0.113.0/24, except: [203.0.113.128/25]}]
                        """, List.of("172.16.0.0/12", "203.0.113.0/24", "203.0.113.128/25")),
                Arguments.of("deny rules both ways", """
                          ingressDeny:
                          - fromCIDR: [198.51.100.0/24]
                          egressDeny:
                          - toCIDRSet: [{cidr: 100.64.0.0/10}]
                        """, List.of("100.64.0.0/10", "198.51.100.0/24")),
                Arguments.of("host bits cleared, duplicates once", """
                          egress:
                          - toCIDR: [10.9.9.9/8, 10.0.0.0/8]
                          ingress:
                          - fromCIDR: [10.0.0.0/8]
                        """, List.of("10.0.0.0/8")),
                Arguments.of("/0 is world, not a CIDR identity; its excepts count", """
                          egress:
                          - toCIDR: [0.0.0.0/0]
                          - toCIDRSet: [{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}]
                        """, List.of("10.0.0.0/8")),
                Arguments.of("IPv6", """
                          egress:
                          - toCIDR: ["2001:db8::/32"]
                        """, List.of("2001:db8::/32")),
                Arguments.of("CIDR group refs, endpoints, entities, FQDNs: none", """
                          egress:
                          - toCIDRSet: [{cidrGroupRef: corp}]
                          - toEntities: [world]
                          - toFQDNs: [{matchName: example.com}]
                          - toEndpoints: [{matchLabels: {app: b}}]
                        """, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void prefixesOfAPolicy(String name, String rules, List<String> expected) {
        CiliumPolicy policy = new PolicyParser().parse(HEAD + rules).policies().getFirst();

        assertThat(PolicyPrefixes.of(policy)).map(IpPrefix::toString).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void specsAreAllRules(String name, String rules, List<String> expected) {
        String specs = HEAD.replace("spec:\n  endpointSelector: {matchLabels: {app: a}}\n",
                "specs:\n- endpointSelector: {matchLabels: {app: z}}\n- endpointSelector: {matchLabels: {app: a}}\n")
                + rules; // the last list item's keys sit at the same indent as spec's
        CiliumPolicy policy = new PolicyParser().parse(specs).policies().getFirst();

        assertThat(PolicyPrefixes.of(policy)).map(IpPrefix::toString).containsExactlyInAnyOrderElementsOf(expected);
    }
}
