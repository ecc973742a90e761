package io.portcullis.policy.fqdn;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which toFQDNs selectors select an IP, given the names cached for it (§4.1, §4.6). */
class FqdnSelectionsTest {

    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: %s, namespace: default}
            spec:
              endpointSelector: {matchLabels: {app: a}}
              egress:
              - toFQDNs: [%s]
                toPorts: [{ports: [{port: "443", protocol: TCP}]}]
            """;

    private static CiliumPolicy policy(String name, String selectors) {
        ParseResult r = new PolicyParser().parseAndValidate(POLICY.formatted(name, selectors), "application/yaml");
        assertThat(r.errors()).isEmpty();
        return r.policies().get(0);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "cilium.io|cilium.io",
        "CILIUM.IO.|cilium.io",
        "sub.cilium.io|*.cilium.io;sub.cilium.io",
        "a.b.cilium.io|",
        "special-x-service.api.cilium.io|special*service.api.cilium.io",
        "example.com|",
        "cilium.io,sub.cilium.io|*.cilium.io;cilium.io;sub.cilium.io",
    })
    void selectsByAnyCachedName(String names, String expected) {
        FqdnSelections s = new FqdnSelections();
        assertThat(s.put(policy("p1", "{matchName: cilium.io}, {matchPattern: \"*.cilium.io\"}"))).isTrue();
        assertThat(s.put(policy("p2", "{matchName: sub.cilium.io}, {matchPattern: \"special*service.api.cilium.io\"}"))).isTrue();
        List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(";"));
        assertThat(s.select(Arrays.asList(names.split(",")))).isEqualTo(want);
    }

    @Test
    void policyChangesChangeTheSelectorSet() {
        FqdnSelections s = new FqdnSelections();
        assertThat(s.put(policy("p1", "{matchName: cilium.io}"))).isTrue();
        assertThat(s.put(policy("p1", "{matchName: cilium.io}"))).isFalse(); // same selectors
        assertThat(s.put(policy("p2", "{matchName: cilium.io}"))).isFalse(); // same label, other policy
        assertThat(s.remove("default/p1")).isFalse(); // p2 still has it
        assertThat(s.select(List.of("cilium.io"))).containsExactly("cilium.io");
        assertThat(s.remove("default/p2")).isTrue();
        assertThat(s.select(List.of("cilium.io"))).isEmpty();
        assertThat(s.selectorCount()).isZero();
    }
}
