package io.portcullis.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.portcullis.policy.api.CIDRRule;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.DefaultDenyConfig;
import io.portcullis.policy.api.EgressDenyRule;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.EndpointSelector;
import io.portcullis.policy.api.FieldError;
import io.portcullis.policy.api.ICMPField;
import io.portcullis.policy.api.ICMPRule;
import io.portcullis.policy.api.IngressDenyRule;
import io.portcullis.policy.api.IngressRule;
import io.portcullis.policy.api.L7Rules;
import io.portcullis.policy.api.LabelSelectorRequirement;
import io.portcullis.policy.api.ObjectMeta;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.PortDenyRule;
import io.portcullis.policy.api.PortProtocol;
import io.portcullis.policy.api.PortRule;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.api.validate.PolicyValidator;
import io.portcullis.policy.engine.ReferenceEvaluator.Party;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpPrefix;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Decision;
import io.portcullis.policy.verdict.DirectionVerdict;
import io.portcullis.policy.verdict.Flow;
import io.portcullis.policy.verdict.Peer;
import io.portcullis.policy.verdict.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential property test (the Java counterpart of Cilium's {@code FuzzDistillPolicy} against
 * {@code testutils/simulate.go}): random CNP/CCNP sets, random endpoints and world IPs, random flows;
 * for every flow the engine's verdict ({@link Decider} over {@code MapState.lookup}) must equal
 * {@link ReferenceEvaluator}'s, per direction. A second property checks that the compiled map state does
 * not depend on the order policies and identities arrive in, nor on the engine's update history.
 *
 * <p>Deterministic: a fixed seed list. Reproduce one seed with {@code -Dportcullis.seed=N}; a failure
 * prints the seed, the policies as YAML, the endpoints and the flow.
 */
class PolicyPropertyTest {

    private static final int SEEDS = 300;
    private static final int FLOWS_PER_SEED = 250;
    private static final String CLUSTER = EndpointLabels.DEFAULT_CLUSTER_NAME;

    static Stream<Long> seeds() {
        String one = System.getProperty("portcullis.seed");
        if (one != null && !one.isBlank()) {
            return Stream.of(Long.parseLong(one.trim()));
        }
        return LongStream.rangeClosed(1, SEEDS).boxed();
    }

    // =====================================================================================
    // Property 1: the engine agrees with the reference evaluator on every flow
    // =====================================================================================

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void engineAgreesWithReferenceEvaluator(long seed) {
        Scenario sc = Scenario.generate(seed);
        World w = new World(sc, sc.policies, sc.nodeOrder(new Random(seed)));
        ReferenceEvaluator ref = new ReferenceEvaluator(sc.policies, CLUSTER);
        Random rnd = new Random(seed * 31 + 7);
        for (int i = 0; i < FLOWS_PER_SEED; i++) {
            Node src = sc.randomNode(rnd);
            Node dst = sc.randomNode(rnd);
            if (src.pod == null && dst.pod == null) {
                dst = sc.pods.get(rnd.nextInt(sc.pods.size()));
            }
            Protocol proto = pick(rnd, PROTOCOLS);
            int port = proto == Protocol.ICMP || proto == Protocol.ICMPV6 ? pick(rnd, ICMP_TYPES)
                    : rnd.nextBoolean() ? pick(rnd, sc.policyPorts) : pick(rnd, FLOW_PORTS);
            Verdict v = Decider.decide(new Flow(w.peer(src), w.peer(dst), proto, port, null));

            ReferenceEvaluator.Verdict refEgress = src.pod == null ? null
                    : ref.evaluate(Direction.EGRESS, src.labels, sc.egressNamedPorts(), dst.party(), proto, port);
            ReferenceEvaluator.Verdict refIngress = dst.pod == null ? null
                    : ref.evaluate(Direction.INGRESS, dst.labels, dst.pod.namedPorts, src.party(), proto, port);
            check(seed, sc, w, src, dst, proto, port, Direction.EGRESS, src, refEgress, v.egress());
            check(seed, sc, w, src, dst, proto, port, Direction.INGRESS, dst, refIngress, v.ingress());
            boolean refAllowed = refEgress != ReferenceEvaluator.Verdict.DENIED && refIngress != ReferenceEvaluator.Verdict.DENIED;
            if (refAllowed != v.allowed()) {
                fail(report(seed, sc, w, src, dst, proto, port, null, "overall: reference " + refAllowed
                        + ", engine " + v.verdict() + " (" + v.reason() + ")"));
            }
        }
    }

    private static void check(long seed, Scenario sc, World w, Node src, Node dst, Protocol proto, int port,
                              Direction dir, Node subject, ReferenceEvaluator.Verdict expected, DirectionVerdict actual) {
        if (expected == null) {
            assertThat(actual.decision()).isEqualTo(Decision.NOT_EVALUATED);
            return;
        }
        Decision want = expected == ReferenceEvaluator.Verdict.ALLOWED ? Decision.ALLOWED : Decision.DENIED;
        if (actual.decision() != want) {
            fail(report(seed, sc, w, src, dst, proto, port, subject, dir.lower() + " of " + subject.name
                    + ": reference " + want + ", engine " + actual.decision() + " (" + actual.reason() + ")"));
        }
    }

    private static String report(long seed, Scenario sc, World w, Node src, Node dst, Protocol proto, int port,
                                 Node subject, String what) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append(" (rerun with -Dportcullis.seed=").append(seed).append(")\n");
        sb.append("flow: ").append(src.describe()).append(" -> ").append(dst.describe())
                .append(" ").append(proto).append("/").append(port).append('\n');
        sb.append(what).append('\n');
        if (subject != null) {
            sb.append("subject identity ").append(w.identityOf(subject)).append('\n');
            sb.append("subject map state: ").append(w.policy(subject).mapState()).append('\n');
        }
        sb.append("peer identities: src ").append(w.identityOf(src)).append(", dst ").append(w.identityOf(dst)).append('\n');
        sb.append("egress named ports: ").append(sc.egressNamedPorts()).append('\n');
        sb.append("--- policies ---\n").append(yaml(sc.policies));
        return sb.toString();
    }

    // =====================================================================================
    // Property 2: the map state does not depend on order or history
    // =====================================================================================

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mapStateIsIndependentOfOrderAndHistory(long seed) {
        Scenario sc = Scenario.generate(seed);
        Random rnd = new Random(seed * 17 + 3);
        World fresh = new World(sc, sc.policies, sc.nodeOrder(rnd));

        // Same policies and identities, shuffled.
        List<CiliumPolicy> shuffled = new ArrayList<>(sc.policies);
        Collections.shuffle(shuffled, rnd);
        World reordered = new World(sc, shuffled, sc.nodeOrder(rnd));
        assertSameMaps(seed, sc, fresh, reordered, "shuffled policy and identity order");

        // Incremental, with subjects resolved (and cached) after every step, so each step must invalidate
        // what it changes:
        //  1. a bogus egress named-port map, a third of the identities, one of them first with wrong labels,
        //     and a ghost identity (labels of another node, an id nobody else has);
        //  2. decoy contents under every policy key, then the real policies one by one in shuffled order;
        //  3. an extra policy added and deleted again; the real egress named ports;
        //  4. the remaining identities one by one, the mislabelled one corrected, the ghost removed.
        Scenario decoys = Scenario.generate(seed + 1_000_003L);
        PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
        List<Node> nodes = sc.nodeOrder(rnd);
        List<Node> known = new ArrayList<>();
        engine.setEgressNamedPorts(Map.of("http", 81, "metrics", 9091));
        int third = Math.max(1, nodes.size() / 3);
        Node mislabelled = nodes.get(0);
        Node lookalike = pick(rnd, nodes);
        engine.upsertIdentity(new Identity(sc.identity(mislabelled).id(), lookalike.labels));
        known.add(mislabelled);
        for (Node n : nodes.subList(1, third)) {
            engine.upsertIdentity(sc.identity(n));
            known.add(n);
        }
        Identity ghost = new Identity(0x00ff_0000L, pick(rnd, nodes).labels);
        engine.upsertIdentity(ghost);
        resolveAll(engine, sc, known);
        for (int i = 0; i < sc.policies.size(); i++) {
            CiliumPolicy real = sc.policies.get(i);
            engine.upsertPolicy(renamed(decoys.policies.get(i % decoys.policies.size()), real));
            resolveAll(engine, sc, known);
        }
        List<CiliumPolicy> order = new ArrayList<>(sc.policies);
        Collections.shuffle(order, rnd);
        for (CiliumPolicy p : order) {
            engine.upsertPolicy(p);
            resolveAll(engine, sc, known);
        }
        CiliumPolicy extra = decoys.policies.get(0).withMetadata(new ObjectMeta("zz-extra",
                decoys.policies.get(0).policyKind() == PolicyKind.CNP ? "default" : null, null, null, null, null, null, null));
        engine.upsertPolicy(extra);
        resolveAll(engine, sc, known);
        engine.deletePolicy(extra.key());
        resolveAll(engine, sc, known);
        engine.setEgressNamedPorts(sc.egressNamedPorts());
        resolveAll(engine, sc, known);
        List<Runnable> late = new ArrayList<>();
        for (Node n : nodes.subList(third, nodes.size())) {
            late.add(() -> {
                engine.upsertIdentity(sc.identity(n));
                known.add(n);
            });
        }
        late.add(() -> engine.upsertIdentity(sc.identity(mislabelled)));
        late.add(() -> engine.removeIdentity(ghost.id()));
        Collections.shuffle(late, rnd);
        for (Runnable step : late) {
            step.run();
            resolveAll(engine, sc, known);
        }
        World incremental = new World(sc, engine);
        assertSameMaps(seed, sc, fresh, incremental, "incremental application");
    }

    /** The decoy's content under the real policy's kind, name and namespace (so it is later replaced). */
    private static CiliumPolicy renamed(CiliumPolicy decoy, CiliumPolicy real) {
        return new CiliumPolicy(real.apiVersion(), real.kind(), real.metadata(), decoy.spec(), decoy.specs(), null);
    }

    private static void resolveAll(PolicyEngine engine, Scenario sc, List<Node> known) {
        for (Node n : known) {
            if (n.pod != null) {
                engine.policyFor(new Subject(sc.identity(n), n.pod.namedPorts));
            }
        }
    }

    private static void assertSameMaps(long seed, Scenario sc, World expected, World actual, String how) {
        for (Node n : sc.pods) {
            EndpointPolicy a = expected.policy(n);
            EndpointPolicy b = actual.policy(n);
            boolean same = a.mapState().equals(b.mapState())
                    && a.ingress().enforced() == b.ingress().enforced() && a.egress().enforced() == b.egress().enforced()
                    && a.ingress().defaultDeny() == b.ingress().defaultDeny() && a.egress().defaultDeny() == b.egress().defaultDeny();
            if (!same) {
                fail("seed " + seed + " (rerun with -Dportcullis.seed=" + seed + "): " + how + " changed the policy of "
                        + n.describe() + " " + sc.identity(n) + "\nfresh:       " + a.mapState()
                        + "\n" + how + ": " + b.mapState() + "\n--- policies ---\n" + yaml(sc.policies));
            }
        }
    }

    // =====================================================================================
    // The engine side, built the way InProcessCluster builds it
    // =====================================================================================

    /** A PolicyEngine fed with the scenario's identities and policies. */
    private static final class World {
        private final Scenario sc;
        private final PolicyEngine engine;

        World(Scenario sc, List<CiliumPolicy> policies, List<Node> identityOrder) {
            this.sc = sc;
            this.engine = new PolicyEngine(EngineConfig.DEFAULT);
            identityOrder.forEach(n -> engine.upsertIdentity(sc.identity(n)));
            engine.setEgressNamedPorts(sc.egressNamedPorts());
            policies.forEach(engine::upsertPolicy);
        }

        World(Scenario sc, PolicyEngine engine) {
            this.sc = sc;
            this.engine = engine;
        }

        Identity identityOf(Node n) {
            return sc.identity(n);
        }

        EndpointPolicy policy(Node pod) {
            return engine.policyFor(new Subject(sc.identity(pod), pod.pod.namedPorts));
        }

        Peer peer(Node n) {
            return new Peer(n.name, sc.identity(n), n.pod == null ? null : policy(n));
        }
    }

    // =====================================================================================
    // Scenario generation
    // =====================================================================================

    private static final List<Protocol> PROTOCOLS = List.of(Protocol.TCP, Protocol.TCP, Protocol.TCP, Protocol.UDP,
            Protocol.UDP, Protocol.SCTP, Protocol.ICMP, Protocol.ICMPV6);
    private static final List<Integer> FLOW_PORTS = List.of(80, 443, 8080, 53, 9090, 1000, 1005, 1010, 1011, 100, 22,
            65535, 1, 81, 8443);
    private static final List<Integer> ICMP_TYPES = List.of(8, 0, 128, 129, 3);

    private static final Map<String, Map<String, String>> NAMESPACES = new LinkedHashMap<>();

    static {
        NAMESPACES.put("default", Map.of());
        NAMESPACES.put("prod", Map.of("team", "a"));
        NAMESPACES.put("dev", Map.of("team", "b"));
    }

    private static final List<String> APPS = List.of("web", "db", "api");
    private static final List<String> TIERS = List.of("front", "back");
    private static final List<String> WORLD_IPS = List.of("10.0.0.5", "10.1.2.3", "10.1.9.9", "192.168.1.10",
            "8.8.8.8", "8.8.4.4", "1.1.1.1", "2001:db8::1", "2001:db8:1::5", "fd00::7");
    /** CIDRs with the excepts that are valid for them (contained, same family). */
    private static final Map<String, List<String>> CIDRS = new LinkedHashMap<>();

    static {
        CIDRS.put("10.0.0.0/8", List.of("10.1.0.0/16", "10.0.0.0/24", "10.1.2.3/32"));
        CIDRS.put("10.1.0.0/16", List.of("10.1.2.0/24", "10.1.9.9/32"));
        CIDRS.put("10.1.2.3/32", List.of());
        CIDRS.put("192.168.0.0/16", List.of("192.168.1.0/24"));
        CIDRS.put("8.8.8.0/24", List.of("8.8.8.8/32"));
        CIDRS.put("8.0.0.0/6", List.of("8.8.0.0/16"));
        CIDRS.put("0.0.0.0/0", List.of("10.0.0.0/8", "8.8.8.8/32", "192.168.0.0/16"));
        CIDRS.put("2001:db8::/32", List.of("2001:db8:1::/48"));
        CIDRS.put("::/0", List.of("2001:db8::/32", "fd00::/8"));
        CIDRS.put("1.1.1.1/32", List.of());
    }

    private static final List<String> ENTITIES = List.of("all", "world", "cluster", "host", "remote-node",
            "kube-apiserver", "health", "ingress", "unmanaged", "init", "none");
    private static final List<ReservedIdentity> RESERVED_PEERS = List.of(ReservedIdentity.HOST, ReservedIdentity.WORLD,
            ReservedIdentity.UNMANAGED, ReservedIdentity.HEALTH, ReservedIdentity.INIT, ReservedIdentity.REMOTE_NODE,
            ReservedIdentity.KUBE_APISERVER, ReservedIdentity.INGRESS);

    /** A pod: namespace, pod labels, container ports by name. */
    record Pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> namedPorts) {}

    /** Anything a flow can start or end at: a pod, a reserved identity, or a world IP. */
    static final class Node {
        final String name;
        final Pod pod;
        final Labels labels;
        final String ip;

        Node(String name, Pod pod, Labels labels, String ip) {
            this.name = name;
            this.pod = pod;
            this.labels = labels;
            this.ip = ip;
        }

        Party party() {
            return new Party(labels, ip);
        }

        String describe() {
            return pod != null ? name + "(ns=" + pod.namespace + " " + pod.labels + " ports=" + pod.namedPorts + ")"
                    : ip != null ? "world " + ip : name;
        }
    }

    static final class Scenario {
        final long seed;
        final List<CiliumPolicy> policies = new ArrayList<>();
        final List<Node> pods = new ArrayList<>();
        final List<Node> externals = new ArrayList<>();
        /** Ports the policies mention, and their neighbours: flows aim at rule boundaries half the time. */
        final List<Integer> policyPorts = new ArrayList<>(List.of(80, 8080, 9090));
        private final Map<Labels, Identity> identities = new LinkedHashMap<>();
        private final Random rnd;

        private Scenario(long seed) {
            this.seed = seed;
            this.rnd = new Random(seed);
        }

        static Scenario generate(long seed) {
            Scenario s = new Scenario(seed);
            s.generateNodes();
            int n = 1 + s.rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                s.policies.add(s.policy("p" + i));
            }
            PolicyValidator validator = new PolicyValidator();
            for (CiliumPolicy p : s.policies) {
                List<FieldError> errors = validator.validate(p);
                if (!errors.isEmpty()) {
                    throw new AssertionError("generator produced an invalid policy (seed " + seed + "): " + errors
                            + "\n" + yaml(List.of(p)));
                }
            }
            // The YAML a failure prints must be the policies themselves, so it reproduces the case.
            ParseResult reparsed = new PolicyParser().parseAndValidate(yaml(s.policies), "application/yaml");
            assertThat(reparsed.errors()).as("seed %d: printed YAML does not parse", seed).isEmpty();
            assertThat(reparsed.policies()).as("seed %d: printed YAML does not round-trip", seed).isEqualTo(s.policies);
            return s;
        }

        // ------------------------------------------------------------------ endpoints and peers

        private void generateNodes() {
            long nextGlobal = 256;
            long nextLocal = 0x01000001L;
            for (ReservedIdentity r : RESERVED_PEERS) {
                Node n = new Node(r.reservedName(), null, r.labels(), null);
                identities.put(r.labels(), r.identity());
                externals.add(n);
            }
            int pods = 2 + rnd.nextInt(5);
            List<String> namespaces = new ArrayList<>(NAMESPACES.keySet());
            for (int i = 0; i < pods; i++) {
                String ns = pick(rnd, namespaces);
                Map<String, String> labels = new TreeMap<>();
                if (rnd.nextInt(10) < 8) {
                    labels.put("app", pick(rnd, APPS));
                }
                if (rnd.nextBoolean()) {
                    labels.put("tier", pick(rnd, TIERS));
                }
                Map<String, Integer> ports = new TreeMap<>();
                if (rnd.nextBoolean()) {
                    ports.put("http", rnd.nextBoolean() ? 80 : 8080);
                }
                if (rnd.nextInt(3) == 0) {
                    ports.put("metrics", 9090);
                }
                Pod pod = new Pod("pod" + i, ns, labels, ports);
                Labels l = EndpointLabels.defaults().identityLabels(ns, labels, NAMESPACES.get(ns), "default");
                if (!identities.containsKey(l)) {
                    identities.put(l, new Identity(nextGlobal++, l));
                }
                this.pods.add(new Node(pod.name, pod, l, null));
            }
            List<String> ips = new ArrayList<>(WORLD_IPS);
            Collections.shuffle(ips, rnd);
            for (String ip : ips.subList(0, 2 + rnd.nextInt(4))) {
                Labels l = CidrLabels.defaults().labels(IpPrefix.parse(ip));
                identities.put(l, new Identity(nextLocal++, l));
                externals.add(new Node(ip, null, l, ip));
            }
        }

        Identity identity(Node n) {
            return identities.get(n.labels);
        }

        Node randomNode(Random r) {
            return r.nextInt(5) < 3 ? pick(r, pods) : pick(r, externals);
        }

        /** Every node once (pods with equal labels share an identity), shuffled. */
        List<Node> nodeOrder(Random r) {
            List<Node> all = new ArrayList<>(pods);
            all.addAll(externals);
            Collections.shuffle(all, r);
            return all;
        }

        /** Egress named ports: the union of all pods' ports, names with conflicting numbers left out (v1.18). */
        Map<String, Integer> egressNamedPorts() {
            Map<String, Integer> out = new TreeMap<>();
            Set<String> conflicting = new HashSet<>();
            for (Node n : pods) {
                n.pod.namedPorts.forEach((k, v) -> {
                    Integer old = out.putIfAbsent(k, v);
                    if (old != null && !old.equals(v)) {
                        conflicting.add(k);
                    }
                });
            }
            conflicting.forEach(out::remove);
            return out;
        }

        // ------------------------------------------------------------------ policies

        private CiliumPolicy policy(String name) {
            boolean cnp = rnd.nextInt(3) < 2;
            String ns = cnp ? pick(rnd, new ArrayList<>(NAMESPACES.keySet())) : null;
            ObjectMeta meta = new ObjectMeta(name, ns, null, null, null, null, null, null);
            Rule spec = rnd.nextInt(4) == 0 ? null : rule();
            List<Rule> specs = null;
            if (spec == null || rnd.nextInt(6) == 0) {
                specs = new ArrayList<>();
                int n = 1 + rnd.nextInt(2);
                for (int i = 0; i < n; i++) {
                    specs.add(rule());
                }
            }
            return new CiliumPolicy(PolicyKind.API_VERSION, cnp ? PolicyKind.CNP.kindName() : PolicyKind.CCNP.kindName(),
                    meta, spec, specs, null);
        }

        private Rule rule() {
            List<IngressRule> ingress = list(() -> new IngressRule(null, null, null, null, null, null, null, null, null, null), this::ingressRule);
            List<IngressDenyRule> ingressDeny = list(() -> null, this::ingressDenyRule);
            List<EgressRule> egress = list(() -> new EgressRule(null, null, null, null, null, null, null, null, null, null, null, null), this::egressRule);
            List<EgressDenyRule> egressDeny = list(() -> null, this::egressDenyRule);
            if (isEmpty(ingress) && isEmpty(ingressDeny) && isEmpty(egress) && isEmpty(egressDeny)) {
                // A rule needs some direction; sometimes the bare "enable default deny" form.
                if (rnd.nextBoolean()) {
                    ingress = List.of(rnd.nextInt(3) == 0 ? new IngressRule(null, null, null, null, null, null, null, null, null, null) : ingressRule());
                } else {
                    egress = List.of(rnd.nextInt(3) == 0 ? new EgressRule(null, null, null, null, null, null, null, null, null, null, null, null) : egressRule());
                }
            }
            DefaultDenyConfig dd = rnd.nextInt(5) < 3 ? null : new DefaultDenyConfig(optBool(), optBool());
            return new Rule(subjectSelector(), null, ingress, ingressDeny, egress, egressDeny, null, dd, null, null);
        }

        private Boolean optBool() {
            int r = rnd.nextInt(3);
            return r == 0 ? null : r == 1;
        }

        /** null (absent) half the time, sometimes {@code []}, else 1–2 items; {@code empty} makes {@code {}}. */
        private <T> List<T> list(Supplier<T> empty, Supplier<T> item) {
            int r = rnd.nextInt(20);
            if (r < 10) {
                return null;
            }
            if (r < 12) {
                return List.of();
            }
            List<T> out = new ArrayList<>();
            int n = 1 + rnd.nextInt(2);
            for (int i = 0; i < n; i++) {
                T e = rnd.nextInt(12) == 0 ? empty.get() : null;
                out.add(e != null ? e : item.get());
            }
            return out;
        }

        private static boolean isEmpty(List<?> l) {
            return l == null || l.isEmpty();
        }

        private IngressRule ingressRule() {
            Peers p = peers();
            Ports ports = ports(true);
            return new IngressRule(p.endpoints, null, p.cidrs, p.cidrSets, p.entities, null, null, ports.allow, ports.icmps, null);
        }

        private IngressDenyRule ingressDenyRule() {
            Peers p = peers();
            Ports ports = ports(false);
            return new IngressDenyRule(p.endpoints, null, p.cidrs, p.cidrSets, p.entities, null, null, ports.deny, ports.icmps);
        }

        private EgressRule egressRule() {
            Peers p = peers();
            Ports ports = ports(true);
            return new EgressRule(p.endpoints, null, p.cidrs, p.cidrSets, p.entities, null, null, null, null, ports.allow, ports.icmps, null);
        }

        private EgressDenyRule egressDenyRule() {
            Peers p = peers();
            Ports ports = ports(false);
            return new EgressDenyRule(p.endpoints, null, p.cidrs, p.cidrSets, p.entities, null, null, null, ports.deny, ports.icmps);
        }

        private record Peers(List<EndpointSelector> endpoints, List<String> cidrs, List<CIDRRule> cidrSets, List<String> entities) {}

        /** At most one peer kind per rule (Sanitize rejects combinations); sometimes none, sometimes an empty list. */
        private Peers peers() {
            int kind = rnd.nextInt(20);
            int n = rnd.nextInt(14) == 0 ? 0 : 1 + rnd.nextInt(2);
            if (kind < 4) {
                return new Peers(null, null, null, null);
            }
            if (kind < 11) {
                List<EndpointSelector> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(peerSelector());
                }
                return new Peers(l, null, null, null);
            }
            if (kind < 15) {
                List<String> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(pick(rnd, ENTITIES));
                }
                return new Peers(null, null, null, l);
            }
            List<String> cidrKeys = new ArrayList<>(CIDRS.keySet());
            if (kind < 17) {
                List<String> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(pick(rnd, cidrKeys));
                }
                return new Peers(null, l, null, null);
            }
            List<CIDRRule> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String c = pick(rnd, cidrKeys);
                List<String> ex = new ArrayList<>();
                for (String e : CIDRS.get(c)) {
                    if (rnd.nextInt(3) == 0) {
                        ex.add(e);
                    }
                }
                l.add(new CIDRRule(c, null, null, ex.isEmpty() && rnd.nextBoolean() ? null : ex));
            }
            return new Peers(null, null, l, null);
        }

        private EndpointSelector subjectSelector() {
            int r = rnd.nextInt(20);
            if (r < 4) {
                return new EndpointSelector(null, null);
            }
            if (r == 4) {
                // a namespace requirement: selects for a CCNP, is overwritten for a CNP
                return EndpointSelector.of(Map.of("k8s:io.kubernetes.pod.namespace", pick(rnd, new ArrayList<>(NAMESPACES.keySet()))));
            }
            return labelSelector();
        }

        private EndpointSelector peerSelector() {
            int r = rnd.nextInt(20);
            return switch (r) {
                case 0, 1, 2 -> new EndpointSelector(Map.of(), null);
                case 3 -> EndpointSelector.of(Map.of("k8s:io.kubernetes.pod.namespace", pick(rnd, new ArrayList<>(NAMESPACES.keySet()))));
                case 4 -> EndpointSelector.of(Map.of("k8s:io.kubernetes.pod.namespace", pick(rnd, new ArrayList<>(NAMESPACES.keySet())),
                        "app", pick(rnd, APPS)));
                case 5 -> EndpointSelector.of(Map.of("io.cilium.k8s.namespace.labels.team", rnd.nextBoolean() ? "a" : "b"));
                case 6 -> EndpointSelector.of(Map.of("reserved:host", ""));
                case 7 -> new EndpointSelector(null, List.of(new LabelSelectorRequirement("reserved:remote-node", "Exists", null)));
                default -> labelSelector();
            };
        }

        private EndpointSelector labelSelector() {
            int r = rnd.nextInt(10);
            return switch (r) {
                case 0, 1, 2 -> EndpointSelector.of(Map.of("app", pick(rnd, APPS)));
                case 3 -> EndpointSelector.of(Map.of("k8s:app", pick(rnd, APPS)));
                case 4 -> EndpointSelector.of(Map.of("app", pick(rnd, APPS), "tier", pick(rnd, TIERS)));
                case 5 -> new EndpointSelector(null, List.of(new LabelSelectorRequirement("app", "In",
                        List.of(pick(rnd, APPS), pick(rnd, APPS)))));
                case 6 -> new EndpointSelector(null, List.of(new LabelSelectorRequirement("tier", "NotIn", List.of(pick(rnd, TIERS)))));
                case 7 -> new EndpointSelector(null, List.of(new LabelSelectorRequirement("tier", "DoesNotExist", null)));
                case 8 -> new EndpointSelector(Map.of("app", pick(rnd, APPS)),
                        List.of(new LabelSelectorRequirement("tier", "Exists", null)));
                default -> EndpointSelector.of(Map.of("tier", pick(rnd, TIERS)));
            };
        }

        private record Ports(List<PortRule> allow, List<PortDenyRule> deny, List<ICMPRule> icmps) {}

        /** No toPorts (L3-only), {@code []}, or 1–2 items of 0–3 ports; ICMP only without toPorts. */
        private Ports ports(boolean allow) {
            int r = rnd.nextInt(20);
            if (r < 6) {
                List<ICMPRule> icmps = rnd.nextInt(4) == 0 ? icmps() : null;
                return new Ports(null, null, icmps);
            }
            if (r == 6) {
                return new Ports(List.of(), List.of(), null);
            }
            List<PortRule> allowRules = new ArrayList<>();
            List<PortDenyRule> denyRules = new ArrayList<>();
            int items = 1 + rnd.nextInt(2);
            for (int i = 0; i < items; i++) {
                List<PortProtocol> ports = new ArrayList<>();
                boolean http = allow && rnd.nextInt(4) == 0;
                int n = rnd.nextInt(12) == 0 && !http ? 0 : 1 + rnd.nextInt(3);
                for (int j = 0; j < n; j++) {
                    PortProtocol pp = portProtocol();
                    ports.add(http && !"0".equals(pp.port()) ? new PortProtocol(pp.port(), pp.endPort(), "TCP") : pp);
                }
                L7Rules l7 = null;
                boolean l7Ok = !ports.isEmpty() && ports.stream().allMatch(p -> "TCP".equals(p.protocol()) && !"0".equals(p.port()));
                if (allow && l7Ok && (http || rnd.nextInt(3) == 0)) {
                    l7 = new L7Rules(List.of(new PortRuleHTTP("/public.*", rnd.nextBoolean() ? "GET" : null, null, null, null)),
                            null, null, null, null);
                }
                allowRules.add(new PortRule(ports, l7, null, null, null, null));
                denyRules.add(new PortDenyRule(ports));
            }
            return new Ports(allowRules, denyRules, null);
        }

        private PortProtocol portProtocol() {
            PortProtocol pp = randomPortProtocol(pick(rnd, java.util.Arrays.asList(null, "TCP", "TCP", "UDP", "SCTP", "ANY")));
            if (!pp.port().chars().anyMatch(Character::isLetter)) {
                int start = Integer.parseInt(pp.port());
                int end = pp.endPort() == null ? 0 : pp.endPort();
                for (int p : new int[] {start - 1, start, start + 1, end - 1, end, end + 1}) {
                    if (p > 0 && p <= 65535) {
                        policyPorts.add(p);
                    }
                }
            }
            return pp;
        }

        private PortProtocol randomPortProtocol(String proto) {
            int r = rnd.nextInt(20);
            return switch (r) {
                case 0, 1 -> new PortProtocol("0", pick(rnd, java.util.Arrays.asList(null, 0, 65535, 100, 1005)), proto);
                case 2 -> new PortProtocol("http", null, proto);
                case 3 -> new PortProtocol("metrics", null, proto);
                case 4, 5 -> new PortProtocol("1000", pick(rnd, java.util.Arrays.asList(1010, 1005, 999, 1000, 65535)), proto);
                case 6 -> new PortProtocol("1008", 1011, proto);
                default -> new PortProtocol(String.valueOf(pick(rnd, List.of(80, 443, 8080, 53, 9090, 22, 81))),
                        rnd.nextInt(8) == 0 ? 90 : null, proto);
            };
        }

        private List<ICMPRule> icmps() {
            List<ICMPField> fields = new ArrayList<>();
            int n = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(2);
            for (int i = 0; i < n; i++) {
                fields.add(switch (rnd.nextInt(5)) {
                    case 0 -> new ICMPField(null, "8");
                    case 1 -> new ICMPField("IPv4", "EchoRequest");
                    case 2 -> new ICMPField("IPv6", "EchoRequest");
                    case 3 -> new ICMPField("IPv6", "129");
                    default -> new ICMPField(null, "0");
                });
            }
            return List.of(new ICMPRule(fields));
        }
    }

    // =====================================================================================
    // helpers
    // =====================================================================================

    private static <T> T pick(Random rnd, List<T> l) {
        return l.get(rnd.nextInt(l.size()));
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);

    static String yaml(List<CiliumPolicy> policies) {
        StringBuilder sb = new StringBuilder();
        for (CiliumPolicy p : policies) {
            try {
                sb.append("---\n").append(YAML.writeValueAsString(p));
            } catch (JsonProcessingException e) {
                sb.append("# unprintable: ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }
}
