package io.portcullis.policy.engine;

import static io.portcullis.policy.engine.OracleSupport.allows;
import static io.portcullis.policy.engine.OracleSupport.ccnp;
import static io.portcullis.policy.engine.OracleSupport.hasSyntheticAllowAll;
import static io.portcullis.policy.engine.OracleSupport.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-direction enforcement and default deny (§3.7, §3.8). The rows come from Cilium's
 * {@code pkg/policy/repository_test.go} ({@code TestComputePolicyEnforcementAndRules}, {@code TestDefaultAllow})
 * and {@code pkg/policy/repository_deny_test.go} ({@code TestComputePolicyDenyEnforcementAndRules},
 * {@code TestDeniesIngress}, {@code TestDeniesEgress}), plus rows for §3.6/§3.8 that those tests imply
 * (a deny rule with {@code enableDefaultDeny: false}, {@code ingress: [{}]}).
 *
 * <p>Cilium's {@code computePolicyEnforcementAndRules} returns (ingress enforced, egress enforced,
 * matching rules); here that is {@link DirectionPolicy#enforced()}, {@link DirectionPolicy#defaultDeny()},
 * {@link EndpointPolicy#policies()} and the synthetic allow-all rule Cilium counts as an extra matching rule.
 * The add/delete sequences run on one {@link PolicyEngine}, so its incremental invalidation is exercised too.
 *
 * <p>Skipped: the {@code --enable-policy=always} and {@code never} steps of both enforcement tests. The
 * engine has no enforcement-mode setting (it always runs Cilium's {@code default} mode).
 */
class EnforcementTest {

    static final Identity FOO = pod(9001, "foo");
    static final Identity BAR = pod(9002, "bar");
    static final Identity BAZ = pod(9003, "baz");
    static final Identity INIT = ReservedIdentity.INIT.identity();

    static CiliumPolicy fooRule(String name, String body) {
        return ccnp(name, "endpointSelector: {matchLabels: {foo: ''}}\n" + body);
    }

    static final String FROM_FOO = "- fromEndpoints: [{matchLabels: {foo: ''}}]\n";
    static final String TO_FOO = "- toEndpoints: [{matchLabels: {foo: ''}}]\n";

    // ---- TestComputePolicyEnforcementAndRules / TestComputePolicyDenyEnforcementAndRules ----------

    static Stream<Arguments> enforcementSequences() {
        return Stream.of(Arguments.of("allow", "ingress", "egress"), Arguments.of("deny", "ingressDeny", "egressDeny"));
    }

    @ParameterizedTest(name = "{0} rules")
    @MethodSource("enforcementSequences")
    void computePolicyEnforcementAndRules(String kind, String ingress, String egress) {
        CiliumPolicy in1 = fooRule("fooingressrule1", ingress + ":\n" + FROM_FOO);
        CiliumPolicy in2 = fooRule("fooingressrule2", ingress + ":\n" + FROM_FOO);
        CiliumPolicy eg1 = fooRule("fooegressrule1", egress + ":\n" + TO_FOO);
        CiliumPolicy eg2 = fooRule("fooegressrule2", egress + ":\n" + TO_FOO);
        CiliumPolicy combined = fooRule("combined", ingress + ":\n" + FROM_FOO + egress + ":\n" + TO_FOO);

        PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
        engine.upsertIdentity(FOO);
        Subject foo = Subject.of(FOO);
        List<Step> steps = List.of(
                new Step("no rules", e -> {}, false, false, Set.of()),
                new Step("+ingress1", e -> e.upsertPolicy(in1), true, false, Set.of("fooingressrule1")),
                new Step("+ingress2", e -> e.upsertPolicy(in2), true, false, Set.of("fooingressrule1", "fooingressrule2")),
                new Step("-ingress1", e -> e.deletePolicy("fooingressrule1"), true, false, Set.of("fooingressrule2")),
                new Step("-ingress2", e -> e.deletePolicy("fooingressrule2"), false, false, Set.of()),
                new Step("+egress1", e -> e.upsertPolicy(eg1), false, true, Set.of("fooegressrule1")),
                new Step("-egress1 +egress2", e -> {
                    e.deletePolicy("fooegressrule1");
                    e.upsertPolicy(eg2);
                }, false, true, Set.of("fooegressrule2")),
                new Step("-egress2 +combined", e -> {
                    e.deletePolicy("fooegressrule2");
                    e.upsertPolicy(combined);
                }, true, true, Set.of("combined")),
                new Step("-combined", e -> e.deletePolicy("combined"), false, false, Set.of()));
        // --enable-policy=always / never steps skipped: no enforcement mode in EngineConfig (class comment).
        for (Step s : steps) {
            s.action().accept(engine);
            EndpointPolicy ep = engine.policyFor(foo);
            assertThat(ep.ingress().enforced()).as("%s %s: ingress enforced", kind, s.name()).isEqualTo(s.ingress());
            assertThat(ep.egress().enforced()).as("%s %s: egress enforced", kind, s.name()).isEqualTo(s.egress());
            // rules without enableDefaultDeny put their direction into default deny (Sanitize)
            assertThat(ep.ingress().defaultDeny()).as("%s %s: ingress default deny", kind, s.name()).isEqualTo(s.ingress());
            assertThat(ep.egress().defaultDeny()).as("%s %s: egress default deny", kind, s.name()).isEqualTo(s.egress());
            assertThat(ep.policies()).as("%s %s: matching rules", kind, s.name()).isEqualTo(s.matching());
        }
    }

    record Step(String name, Consumer<PolicyEngine> action, boolean ingress, boolean egress, Set<String> matching) {}

    /** "If the endpoint has the reserved:init label ... always enforce policy": no rule selects it, all denied. */
    @Test
    void initIdentityIsAlwaysDefaultDeny() {
        CiliumPolicy other = fooRule("fooingressrule1", "ingress:\n" + FROM_FOO);
        EndpointPolicy ep = OracleSupport.resolve(INIT, List.of(other), List.of(FOO));
        assertThat(ep.policies()).isEmpty();
        for (Direction d : Direction.values()) {
            DirectionPolicy dp = ep.direction(d);
            assertThat(dp.enforced()).as("%s enforced", d).isTrue();
            assertThat(dp.defaultDeny()).as("%s default deny", d).isTrue();
            assertThat(allows(ep, d, FOO, Protocol.TCP, 80)).as("%s allows foo", d).isFalse();
        }
        assertThat(ep.mapState().entries()).isEmpty();
    }

    // ---- TestDefaultAllow ----------------------------------------------------------------------------

    /** genRule(ingress, defaultDeny): foo → foo in one direction, enableDefaultDeny set explicitly. */
    static CiliumPolicy genRule(boolean ingress, boolean defaultDeny) {
        String dir = ingress ? "ingress" : "egress";
        return fooRule(ingress + "-" + defaultDeny, "enableDefaultDeny: {" + dir + ": " + defaultDeny + "}\n"
                + dir + ":\n" + (ingress ? FROM_FOO : TO_FOO));
    }

    /**
     * One direction's case: its rules, and whether the direction is enforced; {@code ruleCount} is Cilium's
     * count of matching rules, where the synthetic allow-all rule of a default-allow direction counts one.
     */
    record DefaultAllowCase(String name, List<Boolean> defaultDenies, boolean enforced, int ruleCount) {}

    static final List<DefaultAllowCase> DEFAULT_ALLOW_CASES = List.of(
            new DefaultAllowCase("none", List.of(), false, 0),               // default case, everything disabled
            new DefaultAllowCase("deny", List.of(true), true, 1),
            new DefaultAllowCase("allow", List.of(false), true, 2),          // just a default-allow rule: wildcard added
            new DefaultAllowCase("deny+allow", List.of(true, false), true, 2)); // default deny wins, no wildcard

    static Stream<Arguments> defaultAllowCases() {
        List<Arguments> out = new ArrayList<>();
        for (DefaultAllowCase in : DEFAULT_ALLOW_CASES) {
            for (DefaultAllowCase eg : DEFAULT_ALLOW_CASES) {
                out.add(Arguments.of(in, eg));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "ingress {0} + egress {1}")
    @MethodSource("defaultAllowCases")
    void defaultAllow(DefaultAllowCase in, DefaultAllowCase eg) {
        List<CiliumPolicy> rules = new ArrayList<>();
        in.defaultDenies().forEach(dd -> rules.add(genRule(true, dd)));
        eg.defaultDenies().forEach(dd -> rules.add(genRule(false, dd)));
        EndpointPolicy ep = OracleSupport.resolve(FOO, rules, List.of());
        int ruleCount = ep.policies().size();
        for (Direction d : Direction.values()) {
            DefaultAllowCase c = d == Direction.INGRESS ? in : eg;
            DirectionPolicy dp = ep.direction(d);
            assertThat(dp.enforced()).as("%s enforced", d).isEqualTo(c.enforced());
            boolean synthetic = hasSyntheticAllowAll(dp, d);
            assertThat(synthetic).as("%s synthetic allow-all", d).isEqualTo(c.ruleCount() > c.defaultDenies().size());
            assertThat(dp.defaultDeny()).as("%s default deny", d).isEqualTo(c.defaultDenies().contains(true));
            ruleCount += synthetic ? 1 : 0;
            // the observable difference: a default-allow direction lets an unrelated peer through
            assertThat(allows(ep, d, BAZ, Protocol.TCP, 80)).as("%s allows baz", d)
                    .isEqualTo(!c.enforced() || !c.defaultDenies().contains(true));
        }
        assertThat(ruleCount).as("matching rules").isEqualTo(in.ruleCount() + eg.ruleCount());
    }

    // ---- deny rules and default deny (repository_deny_test.go, §3.6, §3.8) -----------------------------

    /** A deny rule alone puts the direction into default deny. */
    @Test
    void denyRuleAloneIsDefaultDeny() {
        EndpointPolicy ep = OracleSupport.resolve(FOO,
                List.of(fooRule("deny-bar", "ingressDeny:\n- fromEndpoints: [{matchLabels: {bar: ''}}]\n")), List.of(BAR, BAZ));
        assertThat(ep.ingress().enforced()).isTrue();
        assertThat(ep.ingress().defaultDeny()).isTrue();
        assertThat(ep.egress().enforced()).isFalse();
        assertThat(allows(ep, Direction.INGRESS, BAR, Protocol.TCP, 80)).isFalse();
        assertThat(allows(ep, Direction.INGRESS, BAZ, Protocol.TCP, 80)).isFalse();
        assertThat(allows(ep, Direction.EGRESS, BAZ, Protocol.TCP, 80)).isTrue();
    }

    /** With {@code enableDefaultDeny: false} a deny rule keeps the direction default-allow; the deny still applies. */
    @Test
    void denyRuleWithoutDefaultDeny() {
        EndpointPolicy ep = OracleSupport.resolve(FOO, List.of(fooRule("deny-bar",
                "enableDefaultDeny: {ingress: false}\ningressDeny:\n- fromEndpoints: [{matchLabels: {bar: ''}}]\n")), List.of(BAR, BAZ));
        assertThat(ep.ingress().enforced()).isTrue();
        assertThat(ep.ingress().defaultDeny()).isFalse();
        assertThat(hasSyntheticAllowAll(ep.ingress(), Direction.INGRESS)).isTrue();
        assertThat(allows(ep, Direction.INGRESS, BAR, Protocol.TCP, 80)).isFalse();
        assertThat(allows(ep, Direction.INGRESS, BAZ, Protocol.TCP, 80)).isTrue();
    }

    /** {@code ingress: [{}]} has rules in that direction: enforced, default deny, nothing allowed. */
    @Test
    void emptyIngressEntryEnforcesDefaultDeny() {
        EndpointPolicy ep = OracleSupport.resolve(FOO, List.of(fooRule("empty", "ingress: [{}]\n")), List.of(BAR));
        assertThat(ep.ingress().enforced()).isTrue();
        assertThat(ep.ingress().defaultDeny()).isTrue();
        assertThat(ep.ingress().filters()).isEmpty();
        assertThat(OracleSupport.verdicts(ep.mapState(), Direction.INGRESS)).isEmpty();
        assertThat(allows(ep, Direction.INGRESS, BAR, Protocol.TCP, 80)).isFalse();
        assertThat(ep.egress().enforced()).isFalse();
    }

    /** TestDeniesIngress: B allows everything in, but denies A: A→B denied, C→B allowed. */
    @Test
    void deniesIngress() {
        Identity a = pod(1001, "id=a");
        Identity b = pod(1002, "id=b");
        Identity c = pod(1003, "id=c");
        EndpointPolicy ep = OracleSupport.resolve(b, List.of(
                ccnp("allow-all", "endpointSelector: {matchLabels: {id: b}}\ningress:\n- fromEntities: [all]\n"),
                ccnp("deny-a-to-b", "endpointSelector: {matchLabels: {id: b}}\ningressDeny:\n- fromEndpoints: [{matchLabels: {id: a}}]\n")),
                List.of(a, c));
        assertThat(allows(ep, Direction.INGRESS, a, Protocol.TCP, 80)).isFalse();
        assertThat(allows(ep, Direction.INGRESS, c, Protocol.TCP, 80)).isTrue();
    }

    /** TestDeniesEgress: A allows everything out, but denies B: A→B denied, A→C and A→world:80 allowed. */
    @Test
    void deniesEgress() {
        Identity a = pod(1001, "id=a");
        Identity b = pod(1002, "id=b");
        Identity c = pod(1003, "id=c");
        Identity world = ReservedIdentity.WORLD.identity();
        EndpointPolicy ep = OracleSupport.resolve(a, List.of(
                ccnp("allow-all", "endpointSelector: {matchLabels: {id: a}}\negress:\n- toEntities: [all]\n"),
                ccnp("deny-a-to-b", "endpointSelector: {matchLabels: {id: a}}\negressDeny:\n- toEndpoints: [{matchLabels: {id: b}}]\n")),
                List.of(b, c, world));
        assertThat(allows(ep, Direction.EGRESS, b, Protocol.TCP, 80)).isFalse();
        assertThat(allows(ep, Direction.EGRESS, c, Protocol.TCP, 80)).isTrue();
        assertThat(allows(ep, Direction.EGRESS, world, Protocol.TCP, 80)).isTrue();
    }
}
