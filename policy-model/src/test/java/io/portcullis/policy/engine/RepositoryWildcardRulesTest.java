package io.portcullis.policy.engine;

import static io.portcullis.policy.engine.OracleSupport.ccnp;
import static io.portcullis.policy.engine.OracleSupport.normalise;
import static io.portcullis.policy.engine.OracleSupport.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.mapstate.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cilium {@code pkg/policy/repository_test.go} and {@code repository_deny_test.go}: the wildcard L3/L4
 * tests ({@code TestWildcardL3RulesIngress}, {@code TestWildcardL4RulesIngress}, {@code TestWildcardL3RulesEgress},
 * {@code TestWildcardL4RulesEgress}, {@code TestWildcardCIDRRulesEgress},
 * {@code TestWildcardL3RulesIngressFromEntities}, {@code TestWildcardL3RulesEgressToEntities},
 * {@code TestMinikubeGettingStarted}, {@code TestWildcardL3RulesIngressDeny}, {@code TestWildcardL4RulesIngressDeny}).
 * Several rules select identity A; the expected value is the L4 policy of one direction, rendered as in
 * {@link L4FilterTest} ({@link OracleSupport}). Every rule is a CCNP of its own, as Cilium adds them one by one.
 *
 * <p>Skipped: {@code TestL3DependentL4IngressFromRequires}, {@code TestL3DependentL4EgressFromRequires} and
 * their deny twins: {@code fromRequires}/{@code toRequires} were removed in Cilium 1.19 and are not part of
 * our API.
 */
class RepositoryWildcardRulesTest {

    static final Identity A = pod(1001, "id=a");
    static final Identity B = pod(1002, "id=b");
    static final Identity BAR1 = pod(1011, "id=bar1");
    static final Identity BAR2 = pod(1012, "id=bar2");
    static final Identity APP1 = pod(1013, "id=app1");
    static final List<Identity> IDS = List.of(A, B, BAR1, BAR2, APP1);

    static final String SUBJECT = "endpointSelector: {matchLabels: {id: a}}\n";
    static final String BAR1_ = "any:id=bar1";
    static final String BAR2_ = "any:id=bar2";

    static String from(String who) {
        return "fromEndpoints: [{matchLabels: {id: " + who + "}}]";
    }

    static String to(String who) {
        return "toEndpoints: [{matchLabels: {id: " + who + "}}]";
    }

    static String ports(String port, String proto, String rules) {
        return "\n  toPorts: [{ports: [{port: '" + port + "', protocol: " + proto + "}]" + (rules == null ? "" : ", rules: " + rules) + "}]";
    }

    static final String ICMP = "\n  icmps: [{fields: [{type: 8}]}]";
    static final String ICMPV6 = "\n  icmps: [{fields: [{type: 128, family: IPv6}]}]";
    static final String HTTP_GET = "{http: [{method: GET, path: /}]}";
    static final String KAFKA_PRODUCE = "{kafka: [{apiKey: produce}]}";
    static final String DNS_EMPIRE = "{dns: [{matchName: empire.gov}]}";

    /** One rule with one entry in {@code section}. */
    static String r(String section, String entry) {
        return SUBJECT + section + ":\n- " + entry + "\n";
    }

    record Row(String name, Direction dir, List<String> specs, Map<String, Map<String, String>> filters) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("TestWildcardL3RulesIngress", Direction.INGRESS, List.of(
                        r("ingress", from("bar1")),
                        r("ingress", from("bar2") + ports("9092", "TCP", KAFKA_PRODUCE)),
                        r("ingress", from("bar2") + ports("80", "TCP", HTTP_GET)),
                        r("ingress", from("bar2") + ports("9090", "TCP", "{l7proto: tester, l7: [{method: GET, path: /}]}")),
                        r("ingress", from("bar2") + ICMP),
                        r("ingress", from("bar2") + ICMPV6)),
                        Map.of("0/ANY", Map.of(BAR1_, "nil"),
                                "8/ICMP", Map.of(BAR2_, "nil"),
                                "128/ICMPV6", Map.of(BAR2_, "nil"),
                                "9092/TCP", Map.of(BAR2_, "kafka: apiKey=produce"),
                                "80/TCP", Map.of(BAR2_, "http: GET /"),
                                "9090/TCP", Map.of(BAR2_, "l7proto=tester: {method=GET, path=/}"))),
                new Row("TestWildcardL4RulesIngress", Direction.INGRESS, List.of(
                        r("ingress", from("bar1") + ports("9092", "TCP", null)),
                        r("ingress", from("bar2") + ports("9092", "TCP", KAFKA_PRODUCE)),
                        r("ingress", from("bar1") + ports("80", "TCP", null)),
                        r("ingress", from("bar2") + ports("80", "TCP", HTTP_GET))),
                        Map.of("80/TCP", Map.of(BAR1_, "nil", BAR2_, "http: GET /"),
                                "9092/TCP", Map.of(BAR1_, "nil", BAR2_, "kafka: apiKey=produce"))),
                new Row("TestWildcardL3RulesEgress", Direction.EGRESS, List.of(
                        r("egress", to("bar1")),
                        r("egress", to("bar2") + ports("53", "UDP", DNS_EMPIRE)),
                        r("egress", to("bar2") + ports("80", "TCP", HTTP_GET)),
                        r("egress", to("bar2") + ICMP),
                        r("egress", to("bar2") + ICMPV6)),
                        Map.of("53/UDP", Map.of(BAR2_, "dns: matchName=empire.gov"),
                                "80/TCP", Map.of(BAR2_, "http: GET /"),
                                "8/ICMP", Map.of(BAR2_, "nil"),
                                "128/ICMPV6", Map.of(BAR2_, "nil"),
                                "0/ANY", Map.of(BAR1_, "nil"))),
                new Row("TestWildcardL4RulesEgress", Direction.EGRESS, List.of(
                        r("egress", to("bar1") + ports("53", "UDP", null)),
                        r("egress", to("bar2") + ports("53", "UDP", DNS_EMPIRE)),
                        r("egress", to("bar1") + ports("80", "TCP", null)),
                        r("egress", to("bar2") + ports("80", "TCP", HTTP_GET))),
                        Map.of("80/TCP", Map.of(BAR1_, "nil", BAR2_, "http: GET /"),
                                "53/UDP", Map.of(BAR1_, "nil", BAR2_, "dns: matchName=empire.gov"))),
                // HTTP rules are kept even though the L3-only rule on the same CIDR shadows them
                new Row("TestWildcardCIDRRulesEgress", Direction.EGRESS, List.of(
                        r("egress", "toCIDR: [192.0.0.0/3]" + ports("80", "TCP",
                                "{http: [{headers: ['X-My-Header: true'], method: GET, path: /}]}")),
                        r("egress", "toCIDR: [192.0.0.0/3]")),
                        Map.of("80/TCP", Map.of("cidr:192.0.0.0/3", "http: GET / headers=[X-My-Header: true]"),
                                "0/ANY", Map.of("cidr:192.0.0.0/3", "nil"))),
                new Row("TestWildcardL3RulesIngressFromEntities", Direction.INGRESS, List.of(
                        r("ingress", "fromEntities: [world]"),
                        r("ingress", from("bar2") + ports("9092", "TCP", KAFKA_PRODUCE)),
                        r("ingress", from("bar2") + ports("80", "TCP", HTTP_GET))),
                        Map.of("0/ANY", Map.of("reserved:world", "nil", "reserved:world-ipv4", "nil", "reserved:world-ipv6", "nil"),
                                "9092/TCP", Map.of(BAR2_, "kafka: apiKey=produce"),
                                "80/TCP", Map.of(BAR2_, "http: GET /"))),
                new Row("TestWildcardL3RulesEgressToEntities", Direction.EGRESS, List.of(
                        r("egress", "toEntities: [world]"),
                        r("egress", to("bar2") + ports("53", "UDP", DNS_EMPIRE)),
                        r("egress", to("bar2") + ports("80", "TCP", HTTP_GET))),
                        Map.of("0/ANY", Map.of("reserved:world", "nil", "reserved:world-ipv4", "nil", "reserved:world-ipv6", "nil"),
                                "53/UDP", Map.of(BAR2_, "dns: matchName=empire.gov"),
                                "80/TCP", Map.of(BAR2_, "http: GET /"))),
                // rule 2 selects app1, not A; rules 1 and 3 merge on selector B into GET / plus the wildcard
                new Row("TestMinikubeGettingStarted", Direction.INGRESS, List.of(
                        r("ingress", from("b") + ports("80", "TCP", null)),
                        "endpointSelector: {matchLabels: {id: app1}}\ningress:\n- " + from("b") + ports("80", "TCP", HTTP_GET) + "\n",
                        r("ingress", from("b") + ports("80", "TCP", HTTP_GET))),
                        Map.of("80/TCP", Map.of("any:id=b", "http: {} | GET /"))),
                new Row("TestWildcardL3RulesIngressDeny", Direction.INGRESS, List.of(
                        r("ingressDeny", from("bar1"))),
                        Map.of("0/ANY", Map.of(BAR1_, "deny"))),
                new Row("TestWildcardL4RulesIngressDeny", Direction.INGRESS, List.of(
                        r("ingressDeny", from("b") + ports("9092", "TCP", null)),
                        r("ingressDeny", from("b") + ports("80", "TCP", null))),
                        Map.of("80/TCP", Map.of("any:id=b", "deny"), "9092/TCP", Map.of("any:id=b", "deny"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void l4PolicyMatchesCilium(Row row) {
        List<CiliumPolicy> policies = new ArrayList<>();
        for (int i = 0; i < row.specs().size(); i++) {
            policies.add(ccnp("rule-" + i, row.specs().get(i)));
        }
        DirectionPolicy dp = OracleSupport.resolve(A, policies, IDS).direction(row.dir());
        assertThat(dp.error()).isNull();
        assertThat(OracleSupport.filters(dp)).isEqualTo(normalise(row.filters()));
    }
}
