package io.portcullis.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.PortRuleHTTP;
import io.portcullis.policy.api.PortRuleKafka;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.mapstate.Direction;
import io.portcullis.policy.mapstate.MapEntry;
import io.portcullis.policy.mapstate.MapKey;
import io.portcullis.policy.mapstate.MapState;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.selector.Requirement;
import io.portcullis.policy.selector.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Shared plumbing for the tables ported from Cilium's policy tests: policies from YAML through the real
 * parser and validator, resolution through {@link PolicyEngine}, and compact renderings of L4 filters and
 * map states so that expected values read like Cilium's tables.
 *
 * <p>Renderings:
 * <ul>
 *   <li>a filter is {@code port/PROTO} ({@code 0/ANY} for L3-only, {@code 64-127/TCP} for a range);</li>
 *   <li>a peer selector is its requirements without the {@code k8s:io.kubernetes.pod.namespace} Exists
 *       that a CCNP injects (§1.6), {@code *} for the true wildcard ({@code fromEntities: [all]});</li>
 *   <li>a per-selector policy is {@code nil} (allow, no L7, Cilium's nil PerSelectorPolicy), {@code deny},
 *       or {@code parser: rule | rule} with the rules sorted ({@code {}} is the parser's wildcard rule).</li>
 * </ul>
 */
final class OracleSupport {

    static final String NS = io.portcullis.policy.labels.EndpointLabels.POD_NAMESPACE_LABEL;
    private static final String CCNP_NS_EXISTS = Requirement.exists("k8s", NS).toString();

    private OracleSupport() {}

    /** One policy through {@link PolicyParser#parseAndValidate}: it must be valid. */
    static CiliumPolicy policy(String yaml) {
        ParseResult r = new PolicyParser().parseAndValidate(yaml, "application/yaml");
        assertThat(r.errors()).as("validation errors of\n%s", yaml).isEmpty();
        assertThat(r.policies()).hasSize(1);
        return r.policies().get(0);
    }

    /** A CCNP named {@code name} with the given {@code spec} body (YAML, indented by the caller or flow style). */
    static CiliumPolicy ccnp(String name, String spec) {
        return policy("apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: " + name
                + "}\nspec:\n" + indent(spec));
    }

    /** A CNP in {@code namespace}. */
    static CiliumPolicy cnp(String namespace, String name, String spec) {
        return policy("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: " + name
                + ", namespace: " + namespace + "}\nspec:\n" + indent(spec));
    }

    private static String indent(String spec) {
        return Arrays.stream(spec.strip().split("\n")).map(l -> "  " + l).collect(Collectors.joining("\n")) + "\n";
    }

    /** A pod identity: {@code k8s:} labels plus the namespace label ({@code default} unless given). */
    static Identity pod(long id, String... labels) {
        List<String> all = new ArrayList<>(List.of(labels));
        if (all.stream().noneMatch(l -> l.contains(NS))) {
            all.add("k8s:" + NS + "=default");
        }
        return TestPolicies.identity(id, all.toArray(String[]::new));
    }

    /** Resolves through a fresh {@link PolicyEngine}, so namespace scoping and invalidation are the real ones. */
    static EndpointPolicy resolve(EngineConfig config, Subject subject, Collection<CiliumPolicy> policies,
                                  Collection<Identity> identities) {
        PolicyEngine engine = new PolicyEngine(config);
        identities.forEach(engine::upsertIdentity);
        engine.upsertIdentity(subject.identity());
        policies.forEach(engine::upsertPolicy);
        return engine.policyFor(subject);
    }

    static EndpointPolicy resolve(Identity subject, Collection<CiliumPolicy> policies, Collection<Identity> identities) {
        return resolve(EngineConfig.DEFAULT, Subject.of(subject), policies, identities);
    }

    // ---- renderings -------------------------------------------------------------------------------

    /** Filter → selector → per-selector policy, all rendered. */
    static Map<String, Map<String, String>> filters(DirectionPolicy dp) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (L4Filter f : dp.filters()) {
            Map<String, String> per = new TreeMap<>();
            f.perSelector().forEach((sel, psp) -> per.put(selector(sel), perSelector(psp)));
            out.put(filterKey(f), per);
        }
        return out;
    }

    static String filterKey(L4Filter f) {
        String port = f.endPort() > f.port() ? f.port() + "-" + f.endPort() : String.valueOf(f.port());
        return port + "/" + f.protocol();
    }

    static String selector(Selector s) {
        if (s.isWildcard()) {
            return "*";
        }
        List<String> reqs = new ArrayList<>();
        for (Requirement r : s.requirements()) {
            if (!r.toString().equals(CCNP_NS_EXISTS)) {
                reqs.add(r.toString());
            }
        }
        return reqs.isEmpty() ? "{}" : String.join(",", reqs);
    }

    static String perSelector(PerSelectorPolicy p) {
        if (p.deny()) {
            return "deny";
        }
        L7RuleSet l7 = p.l7();
        if (l7.isNone()) {
            return "nil";
        }
        List<String> rules = new ArrayList<>();
        switch (l7.parser()) {
            case HTTP -> l7.http().forEach(h -> rules.add(http(h)));
            case KAFKA -> l7.kafka().forEach(k -> rules.add(kafka(k)));
            case DNS -> l7.dns().forEach(d -> rules.add(dns(d)));
            case GENERIC -> l7.generic().forEach(m -> rules.add(m.isEmpty() ? "{}" : new TreeMap<>(m).toString()));
            default -> throw new IllegalStateException(l7.parser().toString());
        }
        String parser = l7.parser() == io.portcullis.policy.mapstate.ProxyParser.GENERIC
                ? "l7proto=" + l7.l7proto() : l7.parser().lower();
        return parser + ": " + rules.stream().sorted().collect(Collectors.joining(" | "));
    }

    /** Normalises an expected per-selector string the way {@link #perSelector} renders (rules sorted). */
    static String normalise(String expected) {
        int colon = expected.indexOf(": ");
        if (colon < 0) {
            return expected;
        }
        return expected.substring(0, colon + 2) + Arrays.stream(expected.substring(colon + 2).split(" \\| "))
                .sorted().collect(Collectors.joining(" | "));
    }

    static Map<String, Map<String, String>> normalise(Map<String, Map<String, String>> expected) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        expected.forEach((k, per) -> {
            Map<String, String> m = new TreeMap<>();
            per.forEach((s, p) -> m.put(s, normalise(p)));
            out.put(k, m);
        });
        return out;
    }

    private static String http(PortRuleHTTP h) {
        List<String> parts = new ArrayList<>();
        if (h.method() != null) parts.add(h.method());
        if (h.path() != null) parts.add(h.path());
        if (h.host() != null) parts.add("host=" + h.host());
        if (h.headers() != null && !h.headers().isEmpty()) parts.add("headers=" + h.headers());
        if (h.headerMatches() != null && !h.headerMatches().isEmpty()) parts.add("headerMatches=" + h.headerMatches());
        return parts.isEmpty() ? "{}" : String.join(" ", parts);
    }

    private static String kafka(PortRuleKafka k) {
        List<String> parts = new ArrayList<>();
        if (k.role() != null) parts.add("role=" + k.role());
        if (k.apiKey() != null) parts.add("apiKey=" + k.apiKey());
        if (k.apiVersion() != null) parts.add("apiVersion=" + k.apiVersion());
        if (k.clientID() != null) parts.add("clientID=" + k.clientID());
        if (k.topic() != null && !k.topic().isEmpty()) parts.add("topic=" + k.topic());
        return parts.isEmpty() ? "{}" : String.join(",", parts);
    }

    private static String dns(FQDNSelector d) {
        return d.matchName() != null ? "matchName=" + d.matchName() : "matchPattern=" + d.matchPattern();
    }

    /** The map of one direction: key → {@code allow}, {@code deny} or {@code proxy:<parser>}. */
    static Map<MapKey, String> verdicts(MapState m, Direction dir) {
        Map<MapKey, String> out = new TreeMap<>();
        m.entries().forEach((k, v) -> {
            if (k.direction() == dir) {
                out.put(k, verdict(v));
            }
        });
        return out;
    }

    /** Both directions. */
    static Map<MapKey, String> verdicts(MapState m) {
        Map<MapKey, String> out = new TreeMap<>();
        m.entries().forEach((k, v) -> out.put(k, verdict(v)));
        return out;
    }

    static String verdict(MapEntry e) {
        return e.deny() ? "deny" : e.isRedirect() ? "proxy:" + e.parser().lower() : "allow";
    }

    /** The Decider's verdict for one direction of {@code ep} against {@code peer} (no L7 request). */
    static boolean allows(EndpointPolicy ep, Direction dir, Identity peer, Protocol proto, int port) {
        io.portcullis.policy.verdict.Peer local = new io.portcullis.policy.verdict.Peer("subject", ep.subject().identity(), ep);
        io.portcullis.policy.verdict.Peer other = new io.portcullis.policy.verdict.Peer("peer", peer, null);
        io.portcullis.policy.verdict.Flow flow = dir == Direction.INGRESS
                ? new io.portcullis.policy.verdict.Flow(other, local, proto, port, null)
                : new io.portcullis.policy.verdict.Flow(local, other, proto, port, null);
        return io.portcullis.policy.verdict.Decider.decide(ep, dir, peer, flow).decision()
                == io.portcullis.policy.verdict.Decision.ALLOWED;
    }

    /** True when the direction holds the synthetic allow-all rule of a default-allow direction (§3.8). */
    static boolean hasSyntheticAllowAll(DirectionPolicy dp, Direction dir) {
        for (L4Filter f : dp.filters()) {
            PerSelectorPolicy p = f.protocol() == Protocol.ANY ? f.perSelector().get(Selector.WILDCARD) : null;
            if (p != null && p.derivedFrom().contains(PolicyResolver.allowAnyName(dir))) {
                return true;
            }
        }
        return false;
    }

    static MapKey l3(long id, Direction d) {
        return MapKey.allPorts(id, d, Protocol.ANY);
    }

    static MapKey port(long id, Direction d, Protocol p, int port) {
        return MapKey.exact(id, d, p, port);
    }
}
