package io.portcullis.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.MapEntry;
import io.portcullis.policy.mapstate.MapKey;
import io.portcullis.policy.mapstate.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cilium {@code pkg/policy/distillery_test.go Test_MergeRules}: all 256 combinations of eight ingress
 * rules on subject {@code foo} (L3, L4, L3L4, L4+HTTP, L3L4+HTTP allows; L3, L4, L3L4 denies) and the
 * expected map over the keys (foo,*), (*,80/TCP), (foo,80/TCP). Expected states come from the truth
 * table of {@code generateMapStates()} ({@code oracle/merge-rules-truth-table.txt}), which Cilium
 * documents as the source of truth. Each row is also checked in shuffled rule orders.
 */
class MergeRulesTest {

    private static final long FOO = 100;
    private static final Identity FOO_ID = TestPolicies.identity(FOO, "foo", "blue", "io.kubernetes.pod.namespace=default");

    private static final String[] RULES = {
        rule("l3-allow", "ingress", "- fromEndpoints: [{matchLabels: {foo: ''}}]"),
        rule("l4-allow", "ingress", "- toPorts: [{ports: [{port: '80', protocol: TCP}]}]"),
        rule("l3l4-allow", "ingress", "- fromEndpoints: [{matchLabels: {foo: ''}}]\n    toPorts: [{ports: [{port: '80', protocol: TCP}]}]"),
        rule("l4l7-allow", "ingress", "- toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: GET, path: /}]}}]"),
        rule("l3l4l7-allow", "ingress", "- fromEndpoints: [{matchLabels: {foo: ''}}]\n    toPorts: [{ports: [{port: '80', protocol: TCP}], rules: {http: [{method: GET, path: /}]}}]"),
        rule("l3-deny", "ingressDeny", "- fromEndpoints: [{matchLabels: {foo: ''}}]"),
        rule("l4-deny", "ingressDeny", "- toPorts: [{ports: [{port: '80', protocol: TCP}]}]"),
        rule("l3l4-deny", "ingressDeny", "- fromEndpoints: [{matchLabels: {foo: ''}}]\n    toPorts: [{ports: [{port: '80', protocol: TCP}]}]"),
    };
    /** {@code ingress: [{}]}: default deny without allowing anything, for the unset bits. */
    private static final String NO_ALLOW = rule("no-allow", "ingress", "- {}");

    private static String rule(String name, String section, String body) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata: {name: %s}
                spec:
                  endpointSelector: {matchLabels: {foo: ''}}
                  %s:
                  %s
                """.formatted(name, section, body);
    }

    static Stream<Arguments> rows() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                MergeRulesTest.class.getResourceAsStream("/oracle/merge-rules-truth-table.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                rows.add(Arguments.of(Integer.parseInt(f[0]), List.of(f).subList(1, 13)));
            }
        }
        assertThat(rows).hasSize(256);
        return rows.stream();
    }

    @ParameterizedTest(name = "row {0}")
    @MethodSource("rows")
    void mergedMapStateMatchesCilium(int row, List<String> fields) {
        List<CiliumPolicy> policies = new ArrayList<>();
        for (int bit = 0; bit < RULES.length; bit++) {
            policies.add(TestPolicies.yaml((row >> bit & 1) != 0 ? RULES[bit] : NO_ALLOW.replace("no-allow", "no-allow-" + bit)));
        }
        Map<MapKey, String> expected = expected(fields);
        Random random = new Random(row);
        for (int round = 0; round < 3; round++) {
            EndpointPolicy ep = TestPolicies.resolve(Subject.of(FOO_ID), policies, List.of(FOO_ID));
            assertThat(ingressVerdicts(ep)).as("row %d, order %s", row, names(policies)).isEqualTo(expected);
            Collections.shuffle(policies, random);
        }
    }

    private static List<String> names(List<CiliumPolicy> ps) {
        return ps.stream().map(p -> p.metadata().name()).toList();
    }

    private static Map<MapKey, String> ingressVerdicts(EndpointPolicy ep) {
        Map<MapKey, String> out = new TreeMap<>();
        ep.mapState().entries().forEach((k, v) -> {
            if (k.direction() == Direction.INGRESS) {
                out.put(k, verdict(v));
            }
        });
        return out;
    }

    private static String verdict(MapEntry e) {
        return e.deny() ? "deny" : e.isRedirect() ? "proxy" : "allow";
    }

    /** Cilium's testCaseToMapState over the three keys. */
    private static Map<MapKey, String> expected(List<String> f) {
        Field l3l4 = new Field(f.subList(0, 4));
        Field l4 = new Field(f.subList(4, 8));
        Field l3 = new Field(f.subList(8, 12));
        MapKey fooAll = MapKey.allPorts(FOO, Direction.INGRESS, Protocol.ANY);
        MapKey any80 = MapKey.exact(0, Direction.INGRESS, Protocol.TCP, 80);
        MapKey foo80 = MapKey.exact(FOO, Direction.INGRESS, Protocol.TCP, 80);
        Map<MapKey, String> m = new TreeMap<>();
        if (l3.set) {
            if (l3.deny) {
                m.put(fooAll, "deny");
            } else if (!l3.l7) {
                m.put(fooAll, "allow");
            }
        }
        if (l4.set) {
            m.put(any80, l4.deny ? "deny" : l4.l7 ? "proxy" : "allow");
        }
        if (l3l4.set) {
            if (l3l4.deny) {
                m.put(foo80, "deny");
            } else if (!l3l4.l7) {
                m.put(foo80, "allow");
            } else if (!l4.l7) {
                m.put(foo80, "proxy");
            }
        }
        return m;
    }

    private record Field(boolean set, boolean l7, boolean deny) {
        Field(List<String> cols) {
            this(!cols.get(0).equals("X"), cols.get(2).equals("1"), cols.get(3).equals("1"));
        }
    }
}
