package io.portcullis.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.policy.api.CiliumPolicy;
import io.portcullis.policy.api.parse.ParseResult;
import io.portcullis.policy.api.parse.PolicyParser;
import io.portcullis.policy.engine.FqdnLabels;
import io.portcullis.policy.api.FQDNSelector;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.ReservedIdentity;
import io.portcullis.policy.ip.IpPrefix;
import io.portcullis.policy.labels.CidrLabels;
import io.portcullis.policy.labels.EndpointLabels;
import io.portcullis.policy.labels.Label;
import io.portcullis.policy.labels.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A deterministic mid-size cluster for the engine benchmarks: the same seed always gives the same
 * identities, the same policies (as YAML, parsed and validated by {@link PolicyParser}) and the same
 * candidate changes.
 *
 * <h2>Identities (2,000 endpoint identities, plus the ones every cluster has)</h2>
 * <ul>
 *   <li>20 namespaces ({@link #NAMESPACES}), each labelled {@code team}, {@code env} (16 prod, 4 staging)
 *       and {@code tier} (platform or business); these become {@code io.cilium.k8s.namespace.labels.*}.</li>
 *   <li>20 apps per namespace, each in 5 variants (version v1–v3 × track stable/canary, as rolling
 *       deployments and canaries leave them): 20 × 20 × 5 = 2,000 distinct label sets, ids 256+.
 *       Pod labels: {@code app}, {@code tier} (web/backend/data/messaging/batch/edge/ops), {@code team},
 *       {@code env}, {@code version}, {@code track}, plus {@code role: producer|consumer} on Kafka
 *       clients, {@code k8s-app} on the DNS servers and {@code app.kubernetes.io/name} on the ingress
 *       controllers; service account = app name. Labels go through the default identity label filter.</li>
 *   <li>The 10 reserved identities, and 48 node-local CIDR/FQDN identities: a few /32s inside every
 *       CIDR the policies name, and one learned IP per {@code toFQDNs} name (labels {@code cidr:…} +
 *       {@code fqdn:…}), so CIDR and FQDN selectors select something, as in a running cluster.</li>
 * </ul>
 * Every endpoint subject has named ports {@code http→8080}, {@code metrics→9090}, {@code grpc→9000};
 * the same map is the engine's egress named-port table.
 *
 * <h2>Policies (1,000: 900 CNPs, 45 per namespace, and 100 CCNPs)</h2>
 * CNP archetypes, drawn by weight for each of the 45 policies of a namespace (subject: one app, or one
 * app's canary track, or a tier, or the whole namespace):
 * <pre>
 *   weight  archetype
 *     22    L4 ingress fromEndpoints (1–3 apps of the same namespace), TCP 8080/8443/5432/6379 or named "http"
 *     10    cross-namespace ingress fromEndpoints (namespace + app, or a namespace-label selector)
 *      5    port ranges: TCP 9000–9100 from a tier, UDP 30000–30100, or a named-port + range mix
 *     10    HTTP L7 ingress: GET/POST/PUT paths (RE2), some with headers, from ingress-nginx or the frontend
 *      4    Kafka L7: brokers' ingress (produce/consume per topic) or clients' egress to the brokers
 *     12    egress toEndpoints (db/cache of the namespace, another namespace's api) + kube-dns with DNS rules
 *      6    egress toCIDR / toCIDRSet with except, TCP 443/5432
 *      6    egress toFQDNs (matchName / matchPattern) on 443, plus the DNS rule that makes it work
 *      8    deny: ingressDeny from world / another namespace on 22; egressDeny to the metadata IP or a CIDR
 *      8    entities: ingress from host/remote-node/health (probes), from world (edge), egress to kube-apiserver
 *      4    namespace isolation: endpointSelector {} with fromEndpoints [{}] (+ egress to the namespace)
 *      5    enableDefaultDeny false "visibility" rules, and ICMP echo from the cluster
 * </pre>
 * CCNPs (100): 6 cluster-wide baselines that select every pod (kube-dns egress with DNS rules, probes
 * from host/remote-node, deny egress to 169.254.169.254/32, Prometheus scrape of every pod's
 * {@code metrics} port, ingress from the ingress controllers to every {@code tier=web}, deny SSH from
 * world), 14 per-team or per-env rules (team-mates may talk on 8080; prod may not reach staging), and
 * 80 per-app rules in the mix above, their peers namespace-qualified.
 *
 * <h2>Changes the incremental benchmarks apply</h2>
 * {@link #newIdentities(int)} are new deployments/versions (a v4 of an existing app, or a new app),
 * spread over the namespaces; {@link #modifiedPolicy(int)} edits a policy the way people do: adds a port
 * to its first port list, or failing that a peer to its first peer list.
 */
public final class Workload {

    public static final long SEED = 0x5eed_2024L;
    public static final int NAMESPACE_COUNT = 20;
    public static final int APPS_PER_NAMESPACE = 20;
    public static final int VARIANTS_PER_APP = 5;
    public static final int CNPS_PER_NAMESPACE = 45;
    public static final int CCNPS = 100;

    public static final List<String> NAMESPACES = List.of(
            "kube-system", "monitoring", "ingress-nginx", "kafka", "payments", "checkout", "cart", "catalog",
            "search", "users", "auth", "orders", "shipping", "inventory", "notifications", "analytics",
            "reporting", "billing", "recommendations", "media");
    private static final List<String> TEAMS = List.of("platform", "sre", "edge", "data", "commerce", "growth", "identity", "fulfilment");
    private static final List<String> ROLES = List.of(
            "frontend", "api", "worker", "db", "cache", "consumer", "producer", "cron", "gateway", "admin",
            "search-index", "grpc");
    private static final String[][] VARIANTS = {{"v1", "stable"}, {"v2", "stable"}, {"v2", "canary"}, {"v3", "stable"}, {"v3", "canary"}};
    private static final List<String> FQDNS = List.of(
            "api.stripe.com", "*.amazonaws.com", "hooks.slack.com", "api.github.com", "*.googleapis.com",
            "sentry.io", "*.datadoghq.com", "login.microsoftonline.com");
    private static final List<String> CIDRS = List.of(
            "10.20.0.0/16", "10.30.0.0/16", "172.16.0.0/12", "192.168.10.0/24", "203.0.113.0/24", "198.51.100.0/24");
    public static final Map<String, Integer> NAMED_PORTS = Map.of("http", 8080, "metrics", 9090, "grpc", 9000);

    /** One app of one namespace. */
    public record App(String namespace, String name, String role, String tier) {}

    /** One endpoint subject as a pod: namespace, a pod name, its raw pod labels (before the identity filter). */
    public record EndpointSpec(String namespace, String name, Map<String, String> podLabels,
                               Map<String, String> namespaceLabels, String serviceAccount) {}

    private final Random rnd = new Random(SEED);
    private final EndpointLabels endpointLabels = EndpointLabels.defaults();
    private final Map<String, Map<String, String>> namespaceLabels = new LinkedHashMap<>();
    private final Map<String, List<App>> apps = new LinkedHashMap<>();
    private final List<Identity> endpointIdentities = new ArrayList<>();
    private final List<EndpointSpec> endpointSpecs = new ArrayList<>();
    private final List<Identity> otherIdentities = new ArrayList<>();
    private final List<Map<String, Object>> docs = new ArrayList<>();
    private final List<CiliumPolicy> policies;
    private long nextId = 256;
    private long nextLocalId = 0x01000001L;

    private Workload() {
        for (int i = 0; i < NAMESPACES.size(); i++) {
            String ns = NAMESPACES.get(i);
            Map<String, String> l = new TreeMap<>();
            l.put("team", TEAMS.get(i % TEAMS.size()));
            l.put("env", i % 5 == 4 ? "staging" : "prod");
            l.put("tier", i < 4 ? "platform" : "business");
            namespaceLabels.put(ns, l);
        }
        for (String ns : NAMESPACES) {
            List<App> list = new ArrayList<>();
            for (int a = 0; a < APPS_PER_NAMESPACE; a++) {
                String role = ROLES.get(a % ROLES.size());
                String name = special(ns, a);
                if (name == null) {
                    name = ns + "-" + role + (a >= ROLES.size() ? "-" + (a / ROLES.size() + 1) : "");
                }
                list.add(new App(ns, name, role, tierOf(role)));
            }
            apps.put(ns, list);
            for (App app : list) {
                for (String[] v : VARIANTS) {
                    endpointIdentities.add(new Identity(nextId++, labels(app, v[0], v[1])));
                    endpointSpecs.add(new EndpointSpec(ns, app.name() + "-" + v[0] + "-" + v[1],
                            Collections.unmodifiableMap(podLabels(app, v[0], v[1])),
                            Collections.unmodifiableMap(namespaceLabels.get(ns)), app.name()));
                }
            }
        }
        for (ReservedIdentity r : ReservedIdentity.values()) {
            otherIdentities.add(r.identity());
        }
        for (String cidr : CIDRS) {
            IpPrefix p = IpPrefix.parse(cidr);
            String base = cidr.substring(0, cidr.lastIndexOf('.'));
            for (int h = 0; h < 5; h++) {
                String ip = base + "." + (10 + h * 7);
                otherIdentities.add(new Identity(nextLocalId++, CidrLabels.defaults().labels(IpPrefix.parse(ip))));
            }
            if (p.bits() < 24) { // an address outside the except ranges used below
                otherIdentities.add(new Identity(nextLocalId++, CidrLabels.defaults().labels(IpPrefix.parse(base + ".200"))));
            }
        }
        otherIdentities.add(new Identity(nextLocalId++, CidrLabels.defaults().labels(IpPrefix.parse("169.254.169.254"))));
        for (int f = 0; f < FQDNS.size(); f++) {
            String fq = FQDNS.get(f);
            FQDNSelector sel = fq.startsWith("*") ? new FQDNSelector(null, fq) : new FQDNSelector(fq, null);
            Labels l = CidrLabels.defaults().labels(IpPrefix.parse("100.64.0." + (10 + f)))
                    .with(Label.of(Label.SOURCE_FQDN, FqdnLabels.key(sel), ""));
            otherIdentities.add(new Identity(nextLocalId++, l));
        }
        for (String ns : NAMESPACES) {
            for (int i = 0; i < CNPS_PER_NAMESPACE; i++) {
                docs.add(cnp(ns, i));
            }
        }
        for (int i = 0; i < CCNPS; i++) {
            docs.add(ccnp(i));
        }
        policies = parse(docs);
    }

    /** Builds the workload; deterministic. */
    public static Workload generate() {
        return new Workload();
    }

    public List<Identity> endpointIdentities() {
        return Collections.unmodifiableList(endpointIdentities);
    }

    /** The 2,000 endpoint subjects as pods, in the order of {@link #endpointIdentities()}. */
    public List<EndpointSpec> endpointSpecs() {
        return Collections.unmodifiableList(endpointSpecs);
    }

    /** Each policy as its own YAML document (with its {@code ---} line), in the order of {@link #policies()}. */
    public List<String> policyDocumentsYaml() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> d : docs) {
            out.add(toYaml(List.of(d)));
        }
        return out;
    }

    /** Policy {@code index} edited as in {@link #modifiedPolicy(int)}, as one YAML document. */
    @SuppressWarnings("unchecked")
    public String modifiedPolicyYaml(int index) {
        Map<String, Object> doc = deepCopy(docs.get(index));
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        if (!addPort(spec) && !addPeer(spec, (String) ((Map<String, Object>) doc.get("metadata")).get("namespace"))) {
            throw new IllegalStateException("cannot edit policy " + index);
        }
        return toYaml(List.of(doc));
    }

    /** Reserved, CIDR and FQDN identities: peers only, never subjects. */
    public List<Identity> otherIdentities() {
        return Collections.unmodifiableList(otherIdentities);
    }

    public List<CiliumPolicy> policies() {
        return policies;
    }

    /** The policies as one multi-document YAML text. */
    public String policiesYaml() {
        return toYaml(docs);
    }

    /**
     * {@code n} identities no one has seen: a v4 of an existing app, or a new app in a namespace,
     * alternately, round-robin over the namespaces. Ids follow the workload's.
     */
    public List<Identity> newIdentities(int n) {
        Random r = new Random(SEED + 1);
        List<Identity> out = new ArrayList<>();
        long id = 100_000;
        for (int i = 0; i < n; i++) {
            String ns = NAMESPACES.get(i % NAMESPACES.size());
            List<App> list = apps.get(ns);
            App app = i % 2 == 0
                    ? list.get(r.nextInt(list.size()))
                    : new App(ns, ns + "-newsvc-" + i, ROLES.get(r.nextInt(ROLES.size())), null);
            if (app.tier() == null) {
                app = new App(ns, app.name(), app.role(), tierOf(app.role()));
            }
            out.add(new Identity(id++, labels(app, "v4", "stable")));
        }
        return out;
    }

    /** Indexes of the policies the incremental policy benchmark edits: a fixed random sample. */
    public int[] policySample(int n) {
        Random r = new Random(SEED + 2);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            all.add(i);
        }
        Collections.shuffle(all, r);
        return all.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
    }

    /** Policy {@code index} edited: one more port on its first port list, or one more peer. */
    @SuppressWarnings("unchecked")
    public CiliumPolicy modifiedPolicy(int index) {
        Map<String, Object> doc = deepCopy(docs.get(index));
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        if (!addPort(spec) && !addPeer(spec, (String) ((Map<String, Object>) doc.get("metadata")).get("namespace"))) {
            throw new IllegalStateException("cannot edit policy " + index);
        }
        List<CiliumPolicy> p = parse(List.of(doc));
        return p.get(0);
    }

    // ---------------------------------------------------------------- identities

    private static String special(String ns, int a) {
        return switch (ns) {
            case "kube-system" -> a == 0 ? "kube-dns" : a == 1 ? "metrics-server" : null;
            case "monitoring" -> a == 0 ? "prometheus" : a == 1 ? "grafana" : null;
            case "ingress-nginx" -> a == 0 ? "ingress-nginx" : null;
            case "kafka" -> a == 0 ? "kafka-broker" : a == 1 ? "zookeeper" : null;
            default -> null;
        };
    }

    private static String tierOf(String role) {
        return switch (role) {
            case "frontend" -> "web";
            case "api", "worker", "grpc", "admin" -> "backend";
            case "db", "cache", "search-index" -> "data";
            case "consumer", "producer" -> "messaging";
            case "cron" -> "batch";
            case "gateway" -> "edge";
            default -> "ops";
        };
    }

    private Labels labels(App app, String version, String track) {
        Map<String, String> nsl = namespaceLabels.get(app.namespace());
        return endpointLabels.identityLabels(app.namespace(), podLabels(app, version, track), nsl, app.name());
    }

    private Map<String, String> podLabels(App app, String version, String track) {
        Map<String, String> nsl = namespaceLabels.get(app.namespace());
        Map<String, String> pod = new TreeMap<>();
        pod.put("app", app.name());
        pod.put("tier", app.tier());
        pod.put("team", nsl.get("team"));
        pod.put("env", nsl.get("env"));
        pod.put("version", version);
        pod.put("track", track);
        if (app.role().equals("producer") || app.role().equals("consumer")) {
            pod.put("role", app.role());
        }
        if (app.name().equals("kube-dns")) {
            pod.put("k8s-app", "kube-dns");
        }
        if (app.name().equals("ingress-nginx")) {
            pod.put("app.kubernetes.io/name", "ingress-nginx");
        }
        return pod;
    }

    // ---------------------------------------------------------------- CNPs

    private static final int[] CNP_WEIGHTS = {22, 10, 5, 10, 4, 12, 6, 6, 8, 8, 4, 5};

    private Map<String, Object> cnp(String ns, int i) {
        int kind = pick(CNP_WEIGHTS);
        App app = app(ns);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("endpointSelector", subject(app, ns));
        fill(spec, kind, ns, app, false);
        return doc("CiliumNetworkPolicy", ns + "-" + archetype(kind) + "-" + i, ns, spec);
    }

    private static String archetype(int kind) {
        return List.of("l4", "xns", "range", "http", "kafka", "egress", "cidr", "fqdn", "deny", "entities",
                "isolation", "visibility").get(kind);
    }

    /** The subject: mostly one app, sometimes its canary track, a tier, or (isolation) everything. */
    private Map<String, Object> subject(App app, String ns) {
        int r = rnd.nextInt(10);
        if (r < 7) {
            return ml("app", app.name());
        }
        if (r < 8) {
            return ml("app", app.name(), "track", "canary");
        }
        return ml("tier", app.tier());
    }

    /** Fills a rule of archetype {@code kind}; {@code clusterwide} peers get a namespace. */
    private void fill(Map<String, Object> spec, int kind, String ns, App app, boolean clusterwide) {
        switch (kind) {
            case 0 -> { // L4 ingress from apps of the namespace
                List<Object> from = new ArrayList<>();
                for (int k = 0, n = 1 + rnd.nextInt(3); k < n; k++) {
                    from.add(peer(app(ns), clusterwide));
                }
                String port = pickOf("8080", "8443", "5432", "6379", "http", "grpc");
                spec.put("ingress", List.of(rule("fromEndpoints", from, "toPorts", List.of(ports(port, "TCP")))));
            }
            case 1 -> { // cross-namespace ingress
                String other = otherNamespace(ns);
                Object from = rnd.nextBoolean()
                        ? ml("k8s:io.kubernetes.pod.namespace", other, "app", app(other).name())
                        : ml("k8s:io.cilium.k8s.namespace.labels.team", namespaceLabels.get(other).get("team"), "tier", "backend");
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(from),
                        "toPorts", List.of(ports(pickOf("8080", "9000", "443"), "TCP")))));
            }
            case 2 -> { // port ranges
                int r = rnd.nextInt(3);
                Map<String, Object> pr = r == 0 ? Map.of("ports", List.of(range("9000", 9100, "TCP")))
                        : r == 1 ? Map.of("ports", List.of(range("30000", 30100, "UDP")))
                        : Map.of("ports", List.of(port("http", "TCP"), range("8000", 8099, "TCP")));
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(clusterwide
                        ? ml("k8s:io.kubernetes.pod.namespace", ns, "tier", "backend") : ml("tier", "backend")), "toPorts", List.of(pr))));
            }
            case 3 -> { // HTTP L7
                Object from = rnd.nextBoolean()
                        ? ml("k8s:io.kubernetes.pod.namespace", "ingress-nginx", "app.kubernetes.io/name", "ingress-nginx")
                        : peer(appWithRole(ns, "frontend"), clusterwide);
                List<Object> http = new ArrayList<>();
                http.add(Map.of("method", "GET", "path", "/api/v1/" + app.role() + "/.*"));
                http.add(Map.of("method", "POST", "path", "/api/v1/" + app.role()));
                if (rnd.nextBoolean()) {
                    http.add(Map.of("method", "PUT", "path", "/api/v1/" + app.role() + "/[0-9]+", "headers", List.of("X-Tenant: acme")));
                }
                if (rnd.nextInt(4) == 0) {
                    http.add(Map.of("method", "GET", "path", "/healthz"));
                }
                Map<String, Object> pr = new LinkedHashMap<>(ports(pickOf("8080", "http"), "TCP"));
                pr.put("rules", Map.of("http", http));
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(from), "toPorts", List.of(pr))));
            }
            case 4 -> { // Kafka L7
                if (ns.equals("kafka") || (clusterwide && rnd.nextBoolean())) {
                    // the brokers' side: which client namespace may produce/consume which topic
                    spec.put("endpointSelector", clusterwide
                            ? ml("k8s:io.kubernetes.pod.namespace", "kafka", "app", "kafka-broker") : ml("app", "kafka-broker"));
                    String client = NAMESPACES.get(4 + rnd.nextInt(NAMESPACES.size() - 4));
                    Map<String, Object> pr = new LinkedHashMap<>(ports("9092", "TCP"));
                    pr.put("rules", Map.of("kafka", List.of(
                            Map.of("role", "produce", "topic", client + "-events"),
                            Map.of("role", "consume", "topic", client + "-events"),
                            Map.of("apiKey", "metadata"))));
                    spec.put("ingress", List.of(rule("fromEndpoints",
                            List.of(ml("k8s:io.kubernetes.pod.namespace", client, "tier", "messaging")), "toPorts", List.of(pr))));
                } else { // the clients' side: egress to the brokers with their topics
                    spec.put("endpointSelector", clusterwide
                            ? ml("k8s:io.kubernetes.pod.namespace", ns, "tier", "messaging") : ml("tier", "messaging"));
                    spec.put("egress", List.of(kafkaEgress(ns + "-events"), dnsEgress()));
                }
            }
            case 5 -> { // egress to data stores, another namespace's api, and DNS
                List<Object> eg = new ArrayList<>();
                eg.add(rule("toEndpoints", List.of(peer(appWithRole(ns, "db"), clusterwide)), "toPorts", List.of(ports("5432", "TCP"))));
                eg.add(rule("toEndpoints", List.of(peer(appWithRole(ns, "cache"), clusterwide)), "toPorts", List.of(ports("6379", "TCP"))));
                if (rnd.nextBoolean()) {
                    String other = otherNamespace(ns);
                    eg.add(rule("toEndpoints", List.of(ml("k8s:io.kubernetes.pod.namespace", other, "app", appWithRole(other, "api").name())),
                            "toPorts", List.of(ports("http", "TCP"))));
                }
                eg.add(dnsEgress());
                spec.put("egress", eg);
            }
            case 6 -> { // CIDR egress
                String cidr = CIDRS.get(rnd.nextInt(CIDRS.size()));
                Map<String, Object> r = rnd.nextBoolean() || cidr.endsWith("/24")
                        ? rule("toCIDR", List.of(cidr), "toPorts", List.of(ports(pickOf("443", "5432"), "TCP")))
                        : rule("toCIDRSet", List.of(Map.of("cidr", cidr, "except", List.of(cidr.substring(0, cidr.lastIndexOf('.')) + ".0/24"))),
                        "toPorts", List.of(ports("443", "TCP")));
                spec.put("egress", List.of(r, dnsEgress()));
            }
            case 7 -> { // toFQDNs
                List<Object> sel = new ArrayList<>();
                for (int k = 0, n = 1 + rnd.nextInt(2); k < n; k++) {
                    String f = FQDNS.get(rnd.nextInt(FQDNS.size()));
                    sel.add(f.startsWith("*") ? Map.of("matchPattern", f) : Map.of("matchName", f));
                }
                spec.put("egress", List.of(rule("toFQDNs", sel, "toPorts", List.of(ports("443", "TCP"))), dnsEgress()));
            }
            case 8 -> { // deny
                int r = rnd.nextInt(3);
                if (r == 0) {
                    spec.put("ingressDeny", List.of(rule("fromEntities", List.of("world"), "toPorts", List.of(ports("22", "TCP")))));
                } else if (r == 1) {
                    spec.put("ingressDeny", List.of(rule("fromEndpoints",
                            List.of(ml("k8s:io.kubernetes.pod.namespace", otherNamespace(ns))))));
                } else {
                    spec.put("egressDeny", List.of(rule("toCIDR", List.of("169.254.169.254/32")),
                            rule("toCIDRSet", List.of(Map.of("cidr", CIDRS.get(rnd.nextInt(CIDRS.size())))), "toPorts", List.of(ports("22", "TCP")))));
                }
                // deny rules come with the allows they carve from
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(peer(app(ns), clusterwide)), "toPorts", List.of(ports("8080", "TCP")))));
            }
            case 9 -> { // entities
                int r = rnd.nextInt(4);
                if (r == 0) {
                    spec.put("ingress", List.of(rule("fromEntities", List.of("host", "remote-node", "health"), "toPorts", List.of(ports("http", "TCP")))));
                } else if (r == 1) {
                    spec.put("ingress", List.of(rule("fromEntities", List.of("world"), "toPorts", List.of(ports("443", "TCP"), ports("80", "TCP")))));
                } else if (r == 2) {
                    spec.put("egress", List.of(rule("toEntities", List.of("kube-apiserver"), "toPorts", List.of(ports("443", "TCP"))), dnsEgress()));
                } else {
                    spec.put("ingress", List.of(rule("fromEntities", List.of("cluster"), "toPorts", List.of(ports("metrics", "TCP")))));
                }
            }
            case 10 -> { // namespace isolation
                spec.put("endpointSelector", clusterwide ? ml("k8s:io.kubernetes.pod.namespace", ns) : Map.of());
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(clusterwide ? ml("k8s:io.kubernetes.pod.namespace", ns) : Map.of()))));
                if (rnd.nextBoolean()) {
                    spec.put("egress", List.of(rule("toEndpoints", List.of(clusterwide ? ml("k8s:io.kubernetes.pod.namespace", ns) : Map.of())), dnsEgress()));
                }
            }
            default -> { // visibility without default deny, ICMP from the cluster
                spec.put("enableDefaultDeny", Map.of("ingress", false, "egress", false));
                Map<String, Object> pr = new LinkedHashMap<>(ports("8080", "TCP"));
                pr.put("rules", Map.of("http", List.of(Map.of())));
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(peer(app(ns), clusterwide)), "toPorts", List.of(pr)),
                        rule("fromEntities", List.of("cluster"), "icmps", List.of(Map.of("fields", List.of(Map.of("type", "EchoRequest", "family", "IPv4")))))));
            }
        }
    }

    private Map<String, Object> kafkaEgress(String topic) {
        Map<String, Object> pr = new LinkedHashMap<>(ports("9092", "TCP"));
        pr.put("rules", Map.of("kafka", List.of(Map.of("role", "produce", "topic", topic), Map.of("role", "consume", "topic", topic))));
        return rule("toEndpoints", List.of(ml("k8s:io.kubernetes.pod.namespace", "kafka", "app", "kafka-broker")), "toPorts", List.of(pr));
    }

    private static Map<String, Object> dnsEgress() {
        Map<String, Object> pr = new LinkedHashMap<>(ports("53", "ANY"));
        pr.put("rules", Map.of("dns", List.of(Map.of("matchPattern", "*"))));
        return rule("toEndpoints", List.of(ml("k8s:io.kubernetes.pod.namespace", "kube-system", "k8s-app", "kube-dns")), "toPorts", List.of(pr));
    }

    // ---------------------------------------------------------------- CCNPs

    private Map<String, Object> ccnp(int i) {
        Map<String, Object> spec = new LinkedHashMap<>();
        String name;
        if (i < 6) { // baselines selecting every pod
            spec.put("endpointSelector", Map.of());
            switch (i) {
                case 0 -> spec.put("egress", List.of(dnsEgress()));
                case 1 -> spec.put("ingress", List.of(rule("fromEntities", List.of("host", "remote-node"))));
                case 2 -> spec.put("egressDeny", List.of(rule("toCIDR", List.of("169.254.169.254/32"))));
                case 3 -> spec.put("ingress", List.of(rule("fromEndpoints",
                        List.of(ml("k8s:io.kubernetes.pod.namespace", "monitoring", "app", "prometheus")), "toPorts", List.of(ports("metrics", "TCP")))));
                case 4 -> {
                    spec.put("endpointSelector", ml("tier", "web"));
                    spec.put("ingress", List.of(rule("fromEndpoints",
                            List.of(ml("k8s:io.kubernetes.pod.namespace", "ingress-nginx", "app.kubernetes.io/name", "ingress-nginx")),
                            "toPorts", List.of(ports("http", "TCP"), ports("8443", "TCP")))));
                }
                default -> spec.put("ingressDeny", List.of(rule("fromEntities", List.of("world"), "toPorts", List.of(ports("22", "TCP")))));
            }
            name = "baseline-" + i;
        } else if (i < 20) { // per team / per env
            String team = TEAMS.get(i % TEAMS.size());
            if (i < 14) {
                spec.put("endpointSelector", ml("team", team));
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(ml("team", team)), "toPorts", List.of(ports("8080", "TCP")))));
                name = "team-" + team + "-" + i;
            } else {
                spec.put("endpointSelector", ml("env", "prod"));
                spec.put("ingressDeny", List.of(rule("fromEndpoints", List.of(ml("env", "staging")))));
                spec.put("ingress", List.of(rule("fromEndpoints", List.of(ml("env", "prod", "tier", pickOf("web", "backend", "edge"))),
                        "toPorts", List.of(ports(pickOf("8080", "grpc"), "TCP")))));
                name = "env-prod-" + i;
            }
        } else { // per app, namespace-qualified
            String ns = NAMESPACES.get(rnd.nextInt(NAMESPACES.size()));
            App app = app(ns);
            int kind = pick(CNP_WEIGHTS);
            spec.put("endpointSelector", ml("k8s:io.kubernetes.pod.namespace", ns, "app", app.name()));
            fill(spec, kind, ns, app, true);
            name = "cw-" + ns + "-" + archetype(kind) + "-" + i;
        }
        return doc("CiliumClusterwideNetworkPolicy", name, null, spec);
    }

    // ---------------------------------------------------------------- edits

    @SuppressWarnings("unchecked")
    private static boolean addPort(Object node) {
        if (node instanceof Map<?, ?> m) {
            Object ports = m.get("ports");
            if (ports instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> first && first.get("port") != null) {
                String p = (String) first.get("port");
                String proto = first.get("protocol") == null || "ANY".equals(first.get("protocol")) ? "TCP" : (String) first.get("protocol");
                String added = p.chars().allMatch(Character::isDigit) ? String.valueOf(Integer.parseInt(p) % 60000 + 1000) : "10250";
                ((List<Object>) l).add(port(added, proto));
                return true;
            }
            for (Object v : m.values()) {
                if (addPort(v)) {
                    return true;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                if (addPort(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static boolean addPeer(Object node, String ns) {
        if (node instanceof Map<?, ?> m) {
            for (String f : List.of("fromEndpoints", "toEndpoints")) {
                if (m.get(f) instanceof List<?> l) {
                    ((List<Object>) l).add(ns == null ? ml("k8s:io.kubernetes.pod.namespace", "monitoring", "app", "grafana")
                            : ml("app", "grafana-agent"));
                    return true;
                }
            }
            for (String f : List.of("fromEntities", "toEntities")) {
                if (m.get(f) instanceof List<?> l) {
                    ((List<Object>) l).add(l.contains("health") ? "ingress" : "health");
                    return true;
                }
            }
            for (Object v : m.values()) {
                if (addPeer(v, ns)) {
                    return true;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                if (addPeer(v, ns)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers

    private App app(String ns) {
        List<App> list = apps.get(ns);
        return list.get(rnd.nextInt(list.size()));
    }

    private App appWithRole(String ns, String role) {
        for (App a : apps.get(ns)) {
            if (a.role().equals(role)) {
                return a;
            }
        }
        return app(ns);
    }

    private String otherNamespace(String ns) {
        String o;
        do {
            o = NAMESPACES.get(rnd.nextInt(NAMESPACES.size()));
        } while (o.equals(ns));
        return o;
    }

    /** A peer app: in a CCNP every peer names its namespace (else it would match that app name anywhere). */
    private static Map<String, Object> peer(App a, boolean clusterwide) {
        return clusterwide ? ml("k8s:io.kubernetes.pod.namespace", a.namespace(), "app", a.name()) : ml("app", a.name());
    }

    private int pick(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = rnd.nextInt(total);
        for (int k = 0; k < weights.length; k++) {
            x -= weights[k];
            if (x < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    private String pickOf(String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static Map<String, Object> ml(String... kv) {
        Map<String, Object> labels = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            labels.put(kv[k], kv[k + 1]);
        }
        return Map.of("matchLabels", labels);
    }

    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            r.put((String) kv[k], kv[k + 1]);
        }
        return r;
    }

    private static Map<String, Object> ports(String port, String proto) {
        return Map.of("ports", List.of(port(port, proto)));
    }

    private static Map<String, Object> port(String port, String proto) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("port", port);
        p.put("protocol", proto);
        return p;
    }

    private static Map<String, Object> range(String port, int end, String proto) {
        Map<String, Object> p = port(port, proto);
        p.put("endPort", end);
        return p;
    }

    private static Map<String, Object> doc(String kind, String name, String ns, Map<String, Object> spec) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        if (ns != null) {
            meta.put("namespace", ns);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiVersion", "cilium.io/v2");
        d.put("kind", kind);
        d.put("metadata", meta);
        d.put("spec", spec);
        return d;
    }

    private static final ObjectMapper YAML = new YAMLMapper();

    private static String toYaml(List<Map<String, Object>> docs) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Map<String, Object> d : docs) {
                sb.append(YAML.writeValueAsString(d));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> doc) {
        try {
            return YAML.readValue(YAML.writeValueAsString(doc), Map.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<CiliumPolicy> parse(List<Map<String, Object>> docs) {
        ParseResult r = new PolicyParser().parseAndValidate(toYaml(docs), "application/yaml");
        if (!r.errors().isEmpty()) {
            throw new IllegalStateException("generated policies do not validate: " + r.errors().subList(0, Math.min(10, r.errors().size())));
        }
        if (r.policies().size() != docs.size()) {
            throw new IllegalStateException("parsed " + r.policies().size() + " of " + docs.size() + " policies");
        }
        return List.copyOf(r.policies());
    }
}
