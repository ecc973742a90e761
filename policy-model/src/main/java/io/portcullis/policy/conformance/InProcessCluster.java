package io.portcullis.policy.conformance;

import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.EgressRule;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.api.PolicyKind;
import io.portcullis.policy.api.Rule;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.Observation;
import io.portcullis.policy.conformance.ConformanceCase.Target;
import io.portcullis.policy.engine.EngineConfig;
import io.portcullis.policy.engine.FqdnLabels;
import io.portcullis.policy.engine.PolicyEngine;
import io.portcullis.policy.engine.Subject;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.l7.dns.DnsNameMatcher;
import io.portcullis.policy.l7.http.HttpRequest;
import io.portcullis.policy.ip.IpPrefix;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import io.portcullis.policy.mapstate.Protocol;
import io.portcullis.policy.verdict.Decider;
import io.portcullis.policy.verdict.Flow;
import io.portcullis.policy.verdict.L7Request;
import io.portcullis.policy.verdict.Peer;
import io.portcullis.policy.verdict.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole control plane in one process, on the pure engine: endpoints get identities from their
 * labels, policies are parsed, validated and applied, DNS observations turn into FQDN identities,
 * and checks are answered by {@link Decider}. The conformance cases run against it in unit tests;
 * the services do the same work spread over Kafka.
 *
 * <p>Not thread-safe: one caller drives it.
 */
public final class InProcessCluster {

    private static final long FIRST_GLOBAL_ID = 256;
    private static final long FIRST_LOCAL_ID = 0x01000001L;

    private final PolicyEngine engine = new PolicyEngine(EngineConfig.DEFAULT);
    private final PolicyParser parser = new PolicyParser();
    private final EndpointLabels endpointLabels = EndpointLabels.defaults();
    private final Map<Labels, Identity> identities = new HashMap<>();
    private final Map<String, LocalEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, LocalEndpoint> endpointsByIp = new HashMap<>();
    /** Learned DNS answers: IP → the names it answered for (the global FQDN cache). */
    private final Map<String, Set<String>> namesByIp = new HashMap<>();
    private long nextGlobal = FIRST_GLOBAL_ID;
    private long nextLocal = FIRST_LOCAL_ID;

    /** A registered endpoint. */
    public record LocalEndpoint(String key, Identity identity, List<String> ips, Map<String, Integer> namedPorts) {}

    public InProcessCluster() {
        for (ReservedIdentity r : ReservedIdentity.values()) {
            identities.put(r.labels(), r.identity());
            engine.upsertIdentity(r.identity());
        }
    }

    public PolicyEngine engine() {
        return engine;
    }

    public LocalEndpoint addEndpoint(CaseEndpoint e) {
        String ns = e.namespace() == null ? "default" : e.namespace();
        Labels labels = endpointLabels.identityLabels(ns, nullSafe(e.labels()), nullSafe(e.namespaceLabels()),
                e.serviceAccount() == null ? "default" : e.serviceAccount());
        Identity id = identityFor(labels, false);
        LocalEndpoint ep = new LocalEndpoint(e.key(), id, e.ips() == null ? List.of() : e.ips(), nullSafe(e.namedPorts()));
        endpoints.put(ep.key(), ep);
        ep.ips().forEach(ip -> endpointsByIp.put(ip, ep));
        Map<String, Integer> named = new HashMap<>();
        endpoints.values().forEach(x -> named.putAll(x.namedPorts()));
        engine.setEgressNamedPorts(named);
        return ep;
    }

    /** Parses, validates and applies all documents, or nothing: the result lists every error. */
    public ParseResult apply(String yaml) {
        ParseResult r = parser.parseAndValidate(yaml, "application/yaml");
        if (r.errors().isEmpty()) {
            r.policies().forEach(engine::upsertPolicy);
            refreshFqdnIdentities();
        }
        return r;
    }

    /** Deletes {@code Kind/namespace/name} or {@code Kind/name}. */
    public boolean delete(String ref) {
        String[] parts = ref.split("/");
        PolicyKind kind = PolicyKind.fromKindName(parts[0]);
        String key = kind == PolicyKind.CNP ? parts[1] + "/" + parts[2] : parts[1];
        boolean existed = engine.policy(key) != null;
        engine.deletePolicy(key);
        refreshFqdnIdentities();
        return existed;
    }

    /** The same effect as the DNS proxy seeing this answer. */
    public void observe(Observation o) {
        for (String ip : o.ips()) {
            namesByIp.computeIfAbsent(ip, k -> new TreeSet<>()).add(o.name());
        }
        refreshFqdnIdentities();
    }

    public Verdict check(Check c) {
        // Identities of non-endpoint addresses first: an endpoint's policy computed before the other peer's
        // CIDR identity existed would not select it (egress to a fresh address was wrongly denied).
        for (Target t : List.of(c.from(), c.to())) {
            if (t.endpoint() == null && !endpointsByIp.containsKey(t.ip())) {
                ipIdentity(t.ip());
            }
        }
        return Decider.decide(new Flow(peer(c.from()), peer(c.to()), Protocol.parse(c.protocol()), c.port(), l7(c)));
    }

    private Peer peer(Target t) {
        LocalEndpoint ep = t.endpoint() != null ? endpoints.get(t.endpoint()) : endpointsByIp.get(t.ip());
        if (t.endpoint() != null && ep == null) {
            throw new IllegalArgumentException("unknown endpoint " + t.endpoint());
        }
        if (ep != null) {
            return new Peer(ep.key(), ep.identity(), engine.policyFor(new Subject(ep.identity(), ep.namedPorts())));
        }
        return new Peer(t.ip(), ipIdentity(t.ip()), null);
    }

    /** An IP that is no endpoint: its FQDN identity if learned, else a CIDR identity (world + cidr:/32). */
    private Identity ipIdentity(String ip) {
        Identity fqdn = fqdnIdentities.get(ip);
        return fqdn != null ? fqdn : identityFor(cidrLabels(ip), true);
    }

    private final Map<String, Identity> fqdnIdentities = new HashMap<>();

    /** Recomputes every learned IP's {@code fqdn:} labels against every toFQDNs selector (§4.6). */
    private void refreshFqdnIdentities() {
        List<FQDNSelector> selectors = new ArrayList<>();
        for (CiliumPolicy p : engine.policies()) {
            for (Rule r : p.rules()) {
                for (EgressRule er : r.egress() == null ? List.<EgressRule>of() : r.egress()) {
                    if (er.toFQDNs() != null) {
                        selectors.addAll(er.toFQDNs());
                    }
                }
            }
        }
        fqdnIdentities.clear();
        namesByIp.forEach((ip, names) -> {
            List<Label> labels = new ArrayList<>();
            for (FQDNSelector s : selectors) {
                DnsNameMatcher m = DnsNameMatcher.anyOf(List.of(s));
                if (names.stream().anyMatch(m::matches)) {
                    labels.add(Label.of(Label.SOURCE_FQDN, FqdnLabels.key(s), ""));
                }
            }
            if (!labels.isEmpty()) {
                fqdnIdentities.put(ip, identityFor(cidrLabels(ip).with(labels), true));
            }
        });
    }

    private static Labels cidrLabels(String ip) {
        return CidrLabels.defaults().labels(IpPrefix.parse(ip));
    }

    private Identity identityFor(Labels labels, boolean local) {
        Identity id = identities.get(labels);
        if (id == null) {
            id = new Identity(local ? nextLocal++ : nextGlobal++, labels);
            identities.put(labels, id);
            engine.upsertIdentity(id);
        }
        return id;
    }

    private static L7Request l7(Check c) {
        if (c.http() != null) {
            HttpRequest req = HttpRequest.of(c.http().method(), c.http().path());
            if (c.http().host() != null) {
                req = new HttpRequest(req.method(), req.path(), c.http().host(), req.headers());
            }
            if (c.http().headers() != null) {
                for (Map.Entry<String, String> h : c.http().headers().entrySet()) {
                    req = req.withHeader(h.getKey(), h.getValue());
                }
            }
            return new L7Request.Http(req);
        }
        if (c.kafka() != null) {
            return new L7Request.Kafka(c.kafka().apiKey(), c.kafka().apiVersion(), c.kafka().clientId(), c.kafka().topics());
        }
        if (c.dns() != null) {
            return new L7Request.Dns(c.dns().qname());
        }
        return null;
    }

    private static <K, V> Map<K, V> nullSafe(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }
}
