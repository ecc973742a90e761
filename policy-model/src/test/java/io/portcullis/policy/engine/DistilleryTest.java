package io.portcullis.policy.engine;

import static io.portcullis.policy.engine.OracleSupport.ccnp;
import static io.portcullis.policy.engine.OracleSupport.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.MapKey;
import io.portcullis.policy.mapstate.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cilium {@code pkg/policy/distillery_test.go}: {@code Test_AllowAll}, {@code Test_EnsureDeniesPrecedeAllows}
 * and {@code Test_Allowception}. Each row is a set of rules on a wildcard subject and the expected map
 * state of identity foo, key by key ({@code allow}/{@code deny}). Like Cilium's harness
 * ({@code distillPolicy}), the egress allow-all entry of an unenforced egress direction is left out of the
 * comparison. Rule-label provenance (Cilium's {@code withLabels}) is not compared: our entries carry
 * policy names instead.
 *
 * <p>Identities as in Cilium: foo; world, world-ipv4, world-ipv6; 192.0.2.3/32 and 192.0.2.0/24 as local
 * CIDR identities (single stack: {@code cidr:<prefix>} plus {@code reserved:world}, {@code GetCIDRLabels}).
 * Cilium's wildcard peer ({@code WildcardEndpointSelector}) is {@code fromEntities: [all]}.
 *
 * <p>{@code Test_Allowception} gives its CIDR identities a bare {@code cidr:} label without the world label.
 * Real CIDR identities always carry the world label (§2.5, {@code CidrLabels}), and a {@code /0} peer is the
 * world selector (§2.5), so here they carry it; the expected map is Cilium's unchanged.
 */
class DistilleryTest {

    static final long FOO_ID = 100;
    static final Identity FOO = pod(FOO_ID, "foo", "blue");
    static final long LOCAL = 1L << 24;
    static final long W = ReservedIdentity.WORLD.id();
    static final long W4 = ReservedIdentity.WORLD_IPV4.id();
    static final long W6 = ReservedIdentity.WORLD_IPV6.id();
    static final long IP = LOCAL | 16324;    // 192.0.2.3/32
    static final long SN = LOCAL | 16325;    // 192.0.2.0/24
    static final Identity WORLD_IP = new Identity(IP, CidrLabels.defaults().labels("192.0.2.3/32"));
    static final Identity WORLD_SUBNET = new Identity(SN, CidrLabels.defaults().labels("192.0.2.0/24"));
    static final List<Identity> IDS = List.of(FOO, ReservedIdentity.WORLD.identity(), ReservedIdentity.WORLD_IPV4.identity(),
            ReservedIdentity.WORLD_IPV6.identity(), WORLD_IP, WORLD_SUBNET);

    static final Direction IN = Direction.INGRESS;
    static final Direction EG = Direction.EGRESS;

    // ---- rules (subject: every endpoint) ------------------------------------------------------------

    static CiliumPolicy rule(String name, String body) {
        return ccnp(name, "endpointSelector: {}\n" + body);
    }

    static final CiliumPolicy ALLOW_ALL_INGRESS = rule("allow-all-ingress", "ingress:\n- fromEntities: [all]\n");
    static final CiliumPolicy L3_DENY_WORLD = rule("l3-deny-world",
            "ingressDeny:\n- fromEntities: [world]\negressDeny:\n- toEntities: [world]\n");
    static final CiliumPolicy L3_DENY_WORLD_WITH_LABELS = rule("l3-deny-world-with-labels",
            "labels: [{key: world, source: reserved}]\n"
                    + "ingressDeny:\n- fromEntities: [world]\negressDeny:\n- toEntities: [world]\n");
    static final CiliumPolicy L3_ALLOW_WORLD_IP = rule("l3-allow-world-ip",
            "ingress:\n- fromCIDR: [192.0.2.3/32]\negress:\n- toCIDR: [192.0.2.3/32]\n");
    static final CiliumPolicy L3_DENY_SUBNET = rule("l3-deny-subnet",
            "ingressDeny:\n- fromCIDRSet: [{cidr: 192.0.2.0/24}]\negressDeny:\n- toCIDRSet: [{cidr: 192.0.2.0/24}]\n");
    static final CiliumPolicy L3_DENY_SMALLER_SUBNET = rule("l3-deny-smaller-subnet",
            "ingressDeny:\n- fromCIDRSet: [{cidr: 192.0.2.3/32}]\negressDeny:\n- toCIDRSet: [{cidr: 192.0.2.3/32}]\n");
    static final CiliumPolicy L3_ALLOW_LARGER_SUBNET = rule("l3-allow-larger-subnet",
            "ingress:\n- fromCIDRSet: [{cidr: 192.0.2.0/24}]\negress:\n- toCIDRSet: [{cidr: 192.0.2.0/24}]\n");
    static final String PORT_8080_ANY = "  toPorts: [{ports: [{port: '8080', protocol: ANY}]}]\n";
    static final CiliumPolicy L3L4_8080_ANY_DENY_WORLD = rule("l3l4-8080-any-deny-world",
            "ingressDeny:\n- fromEntities: [world]\n" + PORT_8080_ANY + "egressDeny:\n- toEntities: [world]\n" + PORT_8080_ANY);
    static final CiliumPolicy L3_ALLOW_WORLD_SUBNET_8080 = rule("l3-allow-world-subnet",
            "ingress:\n- fromCIDR: [192.0.2.0/24]\n" + PORT_8080_ANY + "egress:\n- toCIDR: [192.0.2.0/24]\n" + PORT_8080_ANY);
    static final CiliumPolicy L3_DENY_WORLD_IP = rule("l3-deny-world-ip",
            "ingressDeny:\n- fromCIDR: [192.0.2.3/32]\negressDeny:\n- toCIDR: [192.0.2.3/32]\n");
    static final CiliumPolicy L3_ALLOW_WORLD_SUBNET_NAMED_PORT = rule("l3-allow-world-subnet-named-port",
            "ingress:\n- fromCIDR: [192.0.2.0/24]\n  toPorts: [{ports: [{port: http, protocol: TCP}]}]\n");
    static final CiliumPolicy L3_ALLOW_WORLD_SUBNET_PORT_RANGE = rule("l3-allow-world-subnet-port-range",
            "ingress:\n- fromCIDR: [192.0.2.0/24]\n  toPorts: [{ports: [{port: '64', endPort: 127, protocol: TCP}, "
                    + "{port: '5', endPort: 10, protocol: TCP}]}]\n");

    // ---- expected maps ---------------------------------------------------------------------------

    static final class Expect {
        final Map<MapKey, String> m = new TreeMap<>();

        Expect l3(long id, Direction d, String v) {
            m.put(MapKey.allPorts(id, d, Protocol.ANY), v);
            return this;
        }

        Expect port(long id, Direction d, Protocol p, int port, String v) {
            m.put(MapKey.exact(id, d, p, port), v);
            return this;
        }

        Expect prefix(long id, Direction d, Protocol p, int port, int prefixLen, String v) {
            m.put(new MapKey(id, d, p, port, prefixLen), v);
            return this;
        }

        /** Both directions, L3. */
        Expect l3Both(String v, long... ids) {
            for (long id : ids) {
                l3(id, IN, v);
                l3(id, EG, v);
            }
            return this;
        }

        /** Both directions, port 8080 on TCP, UDP and SCTP. */
        Expect port8080Both(String v, long... ids) {
            for (long id : ids) {
                for (Protocol p : Protocol.PORT_PROTOCOLS) {
                    port(id, IN, p, 8080, v);
                    port(id, EG, p, 8080, v);
                }
            }
            return this;
        }
    }

    static Expect expect() {
        return new Expect().l3(0, IN, "allow");
    }

    record Row(String name, List<CiliumPolicy> rules, Map<MapKey, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> ensureDeniesPrecedeAllows() {
        return Stream.of(
                new Row("deny_world_no_labels", List.of(ALLOW_ALL_INGRESS, L3_DENY_WORLD, L3_ALLOW_WORLD_IP),
                        expect().l3Both("deny", W, W4, W6, SN, IP).m),
                new Row("deny_world_with_labels", List.of(ALLOW_ALL_INGRESS, L3_DENY_WORLD_WITH_LABELS, L3_ALLOW_WORLD_IP),
                        expect().l3Both("deny", W, W4, W6, SN, IP).m),
                new Row("deny_one_ip_with_a_larger_subnet", List.of(ALLOW_ALL_INGRESS, L3_DENY_SUBNET, L3_ALLOW_WORLD_IP),
                        expect().l3Both("deny", SN, IP).m),
                new Row("deny_part_of_a_subnet_with_an_ip", List.of(ALLOW_ALL_INGRESS, L3_DENY_SMALLER_SUBNET, L3_ALLOW_LARGER_SUBNET),
                        expect().l3Both("deny", IP).l3Both("allow", SN).m),
                new Row("broad_cidr_deny_is_a_portproto_subset_of_a_specific_cidr_allow",
                        List.of(ALLOW_ALL_INGRESS, L3L4_8080_ANY_DENY_WORLD, L3_ALLOW_WORLD_IP),
                        expect().port8080Both("deny", W, W4, W6, SN, IP).l3Both("allow", IP).m),
                new Row("broad_cidr_allow_is_a_portproto_subset_of_a_specific_cidr_deny",
                        List.of(ALLOW_ALL_INGRESS, L3_ALLOW_WORLD_SUBNET_8080, L3_DENY_WORLD_IP),
                        expect().port8080Both("allow", SN).l3Both("deny", IP).m),
                new Row("named_port_world_subnet", List.of(ALLOW_ALL_INGRESS, L3_ALLOW_WORLD_SUBNET_NAMED_PORT),
                        expect().port(SN, IN, Protocol.TCP, 80, "allow").port(IP, IN, Protocol.TCP, 80, "allow").m),
                new Row("port_range_world_subnet", List.of(ALLOW_ALL_INGRESS, L3_ALLOW_WORLD_SUBNET_PORT_RANGE),
                        portRangeExpect()));
    }

    static Map<MapKey, String> portRangeExpect() {
        Expect e = expect();
        for (long id : new long[] {SN, IP}) {
            e.prefix(id, IN, Protocol.TCP, 64, 10, "allow")
                    .port(id, IN, Protocol.TCP, 5, "allow")
                    .prefix(id, IN, Protocol.TCP, 6, 15, "allow")
                    .prefix(id, IN, Protocol.TCP, 8, 15, "allow")
                    .port(id, IN, Protocol.TCP, 10, "allow");
        }
        return e.m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ensureDeniesPrecedeAllows")
    void ensureDeniesPrecedeAllows(Row row) {
        // the subject's named port "http" is 80, as Cilium's test owner answers
        Subject subject = new Subject(FOO, Map.of("http", 80));
        assertThat(distill(subject, row.rules(), IDS)).isEqualTo(row.expected());
    }

    /** Test_AllowAll: an allow-all ingress rule whose subject selects nothing, then everything. */
    @Test
    void allowAll() {
        String allowAll = "ingress:\n- fromEntities: [all]\n";
        CiliumPolicy selectsNone = ccnp("allow-all", "endpointSelector: {matchLabels: {'reserved:none': ''}}\n" + allowAll);
        CiliumPolicy selectsAll = ccnp("allow-all", "endpointSelector: {}\n" + allowAll);
        Map<MapKey, String> expected = Map.of(MapKey.allPorts(0, IN, Protocol.ANY), "allow");
        // 0: no rule selects foo: ingress is not enforced (Cilium labels it allow-any-ingress)
        EndpointPolicy none = OracleSupport.resolve(FOO, List.of(selectsNone), List.of());
        assertThat(none.ingress().enforced()).isFalse();
        assertThat(distill(Subject.of(FOO), List.of(selectsNone), List.of())).isEqualTo(expected);
        // 1: the rule selects foo and allows everything in
        EndpointPolicy all = OracleSupport.resolve(FOO, List.of(selectsAll), List.of());
        assertThat(all.ingress().enforced()).isTrue();
        assertThat(all.mapState().get(MapKey.allPorts(0, IN, Protocol.ANY)).derivedFrom()).containsExactly("allow-all");
        assertThat(distill(Subject.of(FOO), List.of(selectsAll), List.of())).isEqualTo(expected);
    }

    /** Test_Allowception: an allow within a deny within an allow. */
    @Test
    void allowception() {
        Identity world = new Identity(W, Labels.of(CidrLabels.WORLD, CidrLabels.label("0.0.0.0/0")));
        Identity one8 = new Identity(LOCAL | 16331, CidrLabels.defaults().labels("1.0.0.0/8"));
        Identity one32 = new Identity(LOCAL | 16332, CidrLabels.defaults().labels("1.1.1.1/32"));
        CiliumPolicy rule = rule("allow-egress-deny-cidr-set", """
                egress:
                - toCIDR: [0.0.0.0/0]
                egressDeny:
                - toCIDRSet: [{cidr: 1.0.0.0/8, except: [1.1.1.1/32]}]
                """);
        Map<MapKey, String> expected = new Expect().l3(0, IN, "allow")
                .l3(W, EG, "allow").l3(one8.id(), EG, "deny").l3(one32.id(), EG, "allow").m;
        assertThat(distill(Subject.of(FOO), List.of(rule), List.of(world, one8, one32))).isEqualTo(expected);
    }

    /**
     * Ours, the {@code /0} form of Allowception: {@code toCIDRSet: [{cidr: 0.0.0.0/0, except: [...]}]} is the
     * world selector minus the excepts (Cilium {@code CIDRRuleSlice.GetAsEndpointSelectors}: a {@code /0}
     * CIDRRule's main label is the world label), so it selects the world identity, which has no cidr label.
     */
    @Test
    void allowceptionWithZeroPrefixAndExcept() {
        Identity world = ReservedIdentity.WORLD.identity();
        Identity one8 = new Identity(LOCAL | 16331, CidrLabels.defaults().labels("1.0.0.0/8"));
        Identity one32 = new Identity(LOCAL | 16332, CidrLabels.defaults().labels("1.1.1.1/32"));
        Identity other = new Identity(LOCAL | 16333, CidrLabels.defaults().labels("8.8.8.8/32"));
        CiliumPolicy rule = rule("allow-internet-but-1-8", """
                egress:
                - toCIDRSet: [{cidr: 0.0.0.0/0, except: [1.0.0.0/8]}]
                """);
        Map<MapKey, String> expected = new Expect().l3(0, IN, "allow").l3(W, EG, "allow").l3(other.id(), EG, "allow").m;
        assertThat(distill(Subject.of(FOO), List.of(rule), List.of(world, one8, one32, other))).isEqualTo(expected);
    }

    /** The map of the subject, without the egress allow-all of an unenforced egress (as Cilium's harness). */
    static Map<MapKey, String> distill(Subject subject, List<CiliumPolicy> rules, List<Identity> ids) {
        EndpointPolicy ep = OracleSupport.resolve(EngineConfig.DEFAULT, subject, rules, new ArrayList<>(ids));
        Map<MapKey, String> m = OracleSupport.verdicts(ep.mapState());
        if (!ep.egress().enforced()) {
            m.remove(MapKey.allPorts(0, EG, Protocol.ANY));
        }
        return m;
    }
}
